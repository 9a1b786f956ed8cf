"""Indonesian given names for synthetic people in Kabupaten Ogan Komering Ilir.

Three pools, matching the ethnic mix named for OKI (Malay, Javanese, Balinese):

* **Melayu / Palembang (Sumatran)**: mostly Muslim Arabic-derived and Malay names, plus the
  Palembang honorifics (``Kgs.``, ``Kms.``, ``Mgs.``, ``Nyimas``…) that some families carry;
* **Jawa**: common in the transmigration kecamatan (Mesuji, Mesuji Raya, Mesuji Makmur, Air
  Sugihan, Lempuing, Lempuing Jaya, Sungai Menang); many older Javanese have a single name;
* **Bali**: a few, also in the transmigration areas; birth-order name (``I Wayan``,
  ``Ni Made``…) + given name.

Indonesians usually have no family name: the "second" lists below are common second given
names, used to build two-word names. All are invented combinations, not real people.
"""

from __future__ import annotations

# --- Melayu / Palembang ---------------------------------------------------------------------

MALAY_MALE_FIRST: tuple[str, ...] = (
    "Ahmad", "Muhammad", "Abdul", "Abdullah", "Rahmat", "Hendra", "Darmawan", "Syahrial",
    "Zulkifli", "Herman", "Rusdi", "Yusuf", "Sukri", "Amran", "Marzuki", "Bahtiar", "Hasan",
    "Husin", "Ismail", "Jamaludin", "Firdaus", "Fikri", "Hamdan", "Helmi", "Idris", "Iskandar",
    "Junaidi", "Khairul", "Lukman", "Mahmud", "Mansur", "Mukhtar", "Nasrul", "Rizal", "Roni",
    "Rudi", "Safrudin", "Saiful", "Sahlan", "Syamsul", "Taufik", "Usman", "Wahyu", "Yahya",
    "Zainal", "Zainudin", "Arif", "Ardiansyah", "Aidil", "Akbar", "Alamsyah", "Anwar",
    "Asmadi", "Azhari", "Dedi", "Deni", "Effendi", "Fauzan", "Feri", "Hairul", "Hamzah",
    "Heri", "Irwan", "Joni", "Kurniawan", "Muslim", "Nopriansyah", "Nurdin", "Ramli",
    "Ridwan", "Rosidi", "Sabirin", "Sulaiman", "Syarifudin", "Umar", "Yulian", "Zulhelmi",
    "Romi", "Ilham", "Rizki", "Reza", "Fadli", "Agusalim", "Bustomi", "Erwin", "Habibullah",
)
MALAY_FEMALE_FIRST: tuple[str, ...] = (
    "Siti", "Nurhayati", "Yuliana", "Rosmala", "Halimah", "Aisyah", "Fatimah", "Maimunah",
    "Zubaidah", "Rohana", "Rosidah", "Rahmawati", "Nurjanah", "Khadijah", "Hasanah", "Aminah",
    "Asmah", "Dewi", "Desi", "Eka", "Erna", "Fitri", "Herlina", "Ida", "Indah", "Irma",
    "Juliana", "Kartika", "Leni", "Lia", "Linda", "Maya", "Mardiana", "Meri", "Mira", "Nila",
    "Nova", "Novi", "Nurul", "Putri", "Rani", "Ratna", "Reni", "Rina", "Rita", "Rosita",
    "Salmah", "Sarah", "Selvi", "Septi", "Susi", "Syarifah", "Tuti", "Umi", "Yanti", "Yeni",
    "Yuni", "Zahra", "Zakiah", "Zaleha", "Nurbaiti", "Masnah", "Jamilah", "Rukiah", "Saodah",
    "Hamidah", "Nuraini", "Marlina", "Delima", "Cahaya", "Mega", "Ayu", "Anisa", "Dina",
    "Elvira", "Febri", "Helda", "Intan", "Komariah", "Lela", "Melati", "Naimah", "Paridah",
)
MALAY_MALE_SECOND: tuple[str, ...] = (
    "Saputra", "Pratama", "Hidayat", "Syahputra", "Effendi", "Irawan", "Kurniawan", "Gunawan",
    "Setiawan", "Rahman", "Hakim", "Hasan", "Yusuf", "Ismail", "Anwar", "Fauzi", "Ramadhan",
    "Firmansyah", "Wijaya", "Putra", "Saleh", "Harun", "Daud", "Sanusi", "Basri", "Jauhari",
    "Mulyadi", "Alamsyah", "Hamid", "Zulkarnain", "Rasyid", "Zakaria", "Syafei", "Marwan",
)
MALAY_FEMALE_SECOND: tuple[str, ...] = (
    "Lestari", "Wati", "Sari", "Handayani", "Puspita", "Rahayu", "Yanti", "Novita", "Susanti",
    "Oktaviani", "Fitriani", "Safitri", "Anggraini", "Wulandari", "Permatasari", "Rahmadani",
    "Maharani", "Febriani", "Purnamasari", "Agustina", "Yulianti", "Marlina", "Kurniasih",
    "Hasanah", "Aprilia", "Zulaikha", "Hayati", "Rosmalina", "Julita", "Damayanti",
)
#: Palembang honorifics from the old aristocracy, written before the name on some KTPs.
PALEMBANG_TITLES_MALE: tuple[str, ...] = ("Kgs.", "Kms.", "Mgs.", "Rd.")
PALEMBANG_TITLES_FEMALE: tuple[str, ...] = ("Nyimas", "Nyayu", "Masayu")

# --- Jawa -----------------------------------------------------------------------------------

JAVANESE_MALE_FIRST: tuple[str, ...] = (
    "Slamet", "Sugeng", "Suparman", "Sutrisno", "Joko", "Bambang", "Agus", "Budi", "Wahyudi",
    "Purnomo", "Sunarto", "Supriyadi", "Teguh", "Wiji", "Sarno", "Paiman", "Paijo", "Tukiman",
    "Ngadiman", "Suroso", "Sukardi", "Sumarno", "Sugiyanto", "Sugiono", "Mulyono", "Triyono",
    "Waluyo", "Heru", "Eko", "Dwi", "Tri", "Hari", "Yanto", "Anton", "Bowo", "Darsono",
    "Giyanto", "Jumadi", "Kasiman", "Kusnadi", "Margono", "Marjuki", "Maryono", "Muhadi",
    "Parjo", "Parman", "Ponidi", "Priyo", "Rusman", "Samijo", "Saring", "Siswanto", "Sodikin",
    "Sukirno", "Sumadi", "Sunardi", "Supardi", "Suwarno", "Tarjo", "Untung", "Wagiman",
    "Warsito", "Yatno", "Darmaji", "Sarwono", "Mujiono", "Puji", "Ngatimin",
)
JAVANESE_FEMALE_FIRST: tuple[str, ...] = (
    "Sri", "Sumiati", "Suparmi", "Wartini", "Sulastri", "Endang", "Sumarni", "Ngatini",
    "Partini", "Suyatmi", "Sugiyem", "Tukinem", "Painem", "Sarmi", "Kasmi", "Wagiyem",
    "Tumini", "Parmi", "Murni", "Rukmini", "Yuli", "Sunarsih", "Suprapti", "Suwarni", "Darmi",
    "Giyem", "Jumini", "Juminten", "Katini", "Lasmi", "Legini", "Marsini", "Mujiati",
    "Ngatiyem", "Ponirah", "Poniyem", "Rusmiyati", "Sukinah", "Sulasmi", "Sumirah", "Sundari",
    "Supini", "Surati", "Suratmi", "Tarmi", "Tentrem", "Umiyati", "Warsini", "Winarsih",
    "Yatmi", "Yuliani", "Sumini", "Tini", "Siti", "Nur", "Tri", "Dwi", "Eni", "Sukarsih",
    "Wiwik", "Puji", "Erni", "Lastri", "Harti",
)
JAVANESE_MALE_SECOND: tuple[str, ...] = (
    "Widodo", "Santoso", "Prasetyo", "Susilo", "Wibowo", "Hartono", "Nugroho", "Raharjo",
    "Purwanto", "Sutanto", "Setiawan", "Hidayat", "Wahyudi", "Kuncoro", "Saputro", "Utomo",
    "Wicaksono", "Prabowo", "Sulistyo", "Riyadi", "Mulyadi", "Haryanto", "Sugiarto", "Budiono",
)
JAVANESE_FEMALE_SECOND: tuple[str, ...] = (
    "Rahayu", "Wulandari", "Lestari", "Handayani", "Ningsih", "Astuti", "Utami", "Pratiwi",
    "Kusumawati", "Wahyuni", "Setyowati", "Purwaningsih", "Sulistyowati", "Rahmawati",
    "Suryani", "Susanti", "Mulyani", "Widayati", "Indrawati", "Nuraini", "Sulistiani",
    "Haryati", "Yuniarti", "Sumarsih",
)

# --- Bali -----------------------------------------------------------------------------------

#: Birth-order names; weights favour the first two children.
BALINESE_ORDER_MALE: tuple[str, ...] = (
    "I Wayan", "I Putu", "I Gede", "I Made", "I Kadek", "I Nyoman", "I Komang", "I Ketut",
)
BALINESE_ORDER_FEMALE: tuple[str, ...] = (
    "Ni Wayan", "Ni Putu", "Ni Luh", "Ni Made", "Ni Kadek", "Ni Nyoman", "Ni Komang",
    "Ni Ketut",
)
BALINESE_ORDER_WEIGHTS: tuple[float, ...] = (3, 2, 1, 3, 1, 2, 1, 1)
BALINESE_MALE_GIVEN: tuple[str, ...] = (
    "Sudarsana", "Suartana", "Arsana", "Wirawan", "Suarjana", "Budiarta", "Mertayasa",
    "Sukadana", "Adnyana", "Sudiarta", "Parwata", "Suweca", "Darma", "Sutama", "Subagia",
    "Widiana", "Astawa", "Suardika", "Ardana", "Sujana", "Kariasa", "Suarta",
)
BALINESE_FEMALE_GIVEN: tuple[str, ...] = (
    "Sukerti", "Ariani", "Suartini", "Sriasih", "Sumerti", "Suardani", "Rusmini", "Sukarmi",
    "Sudiasih", "Widiastuti", "Mertiasih", "Sumariani", "Juliantari", "Suciani", "Astiti",
    "Wiratni", "Darmini", "Sukarini", "Wartini", "Suryani",
)

#: First names that are almost never used alone (``Siti Aminah``, ``Muhammad Rizal``).
ALWAYS_TWO_WORDS: frozenset[str] = frozenset(
    {"Siti", "Sri", "Muhammad", "Ahmad", "Abdul", "Nur", "Tri", "Dwi", "Eka", "Putri", "Ayu"}
)


def _unique(*groups: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(n for g in groups for n in g))


#: Every male / female name element used (for counting and checks).
MALE_NAMES: tuple[str, ...] = _unique(
    MALAY_MALE_FIRST, MALAY_MALE_SECOND, JAVANESE_MALE_FIRST, JAVANESE_MALE_SECOND,
    BALINESE_MALE_GIVEN,
)
FEMALE_NAMES: tuple[str, ...] = _unique(
    MALAY_FEMALE_FIRST, MALAY_FEMALE_SECOND, JAVANESE_FEMALE_FIRST, JAVANESE_FEMALE_SECOND,
    BALINESE_FEMALE_GIVEN,
)

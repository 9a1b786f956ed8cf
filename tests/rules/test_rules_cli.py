"""CLI: JSON/text output, integer amounts, exit code 2 naming the bad option."""

from __future__ import annotations

import json

import pytest

from jamsos.rules.cli import benefit_main, contribution_main


def run_json(main, argv, capsys):
    assert main([*argv, "--format", "json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_benefit_json(capsys):
    out = run_json(
        benefit_main,
        [
            "--program",
            "jkk",
            "--event",
            "work_accident_death",
            "--event-date",
            "2025-09-15",
            "--wage",
            "3681571",
            "--children",
            "2",
        ],
        capsys,
    )
    assert out["eligible"] is True and out["reasons"] == []
    codes = {i["code"]: i["amount"] for i in out["items"]}
    assert codes["death_lump_sum"] == 176_715_408
    assert codes["scholarship"] == 174_000_000
    assert out["total"] == 372_715_408
    for i in out["items"]:
        assert set(i) >= {"code", "amount", "basis", "citation", "unconfirmed"}
        assert type(i["amount"]) is int


def test_benefit_not_payable_says_why(capsys):
    out = run_json(
        benefit_main,
        [
            "--program",
            "jkm",
            "--event",
            "death",
            "--event-date",
            "2025-09-15",
            "--wage",
            "1000000",
            "--segment",
            "bpu",
            "--arrears-months",
            "3",
        ],
        capsys,
    )
    assert out["eligible"] is False
    assert out["reasons"] == ["kepesertaan tidak aktif pada tanggal kejadian: menunggak 3 bulan"]
    assert out["items"] == [] and out["total"] == 0


def test_benefit_children_and_stmb(capsys):
    out = run_json(
        benefit_main,
        [
            "--program",
            "jkk",
            "--event",
            "temporary_incapacity",
            "--event-date",
            "2025-09-15",
            "--wage",
            "3681571",
            "--incapacity-months",
            "14",
        ],
        capsys,
    )
    assert out["total"] == 47_860_423


def test_contribution_json(capsys):
    out = run_json(
        contribution_main,
        [
            "--segment",
            "pu",
            "--wage",
            "3681571",
            "--programs",
            "jkk,jkm,jht,jp,jkp",
            "--risk-class",
            "1",
            "--month",
            "2025-03",
        ],
        capsys,
    )
    assert out["total"] == 348_276
    assert {(i["program"], i["payer"]) for i in out["items"]} >= {
        ("jkk", "employer"),
        ("jp", "worker"),
        ("jkp", "government"),
    }
    assert all(type(i["amount"]) is int for i in out["items"])


def test_contribution_bpu_package(capsys):
    out = run_json(
        contribution_main,
        [
            "--segment",
            "bpu",
            "--wage",
            "1000000",
            "--programs",
            "jkk,jkm,jht",
            "--month",
            "2025-09",
        ],
        capsys,
    )
    assert out["total"] == 36_800


def test_text_format_is_indonesian(capsys):
    assert (
        benefit_main(
            [
                "--program",
                "jkm",
                "--event",
                "death",
                "--event-date",
                "2025-09-15",
                "--wage",
                "1",
                "--format",
                "text",
            ]
        )
        == 0
    )
    text = capsys.readouterr().out
    assert "Status: LAYAK" in text and "TOTAL" in text and "Rp 42.000.000" in text
    assert (
        contribution_main(
            ["--segment", "bpu", "--wage", "1000000", "--programs", "jkk,jkm", "--month", "2025-09"]
        )
        == 0
    )
    assert "Rp 16.800" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("main", "argv", "option"),
    [
        (
            benefit_main,
            [
                "--program",
                "jkk",
                "--event",
                "total_disability",
                "--event-date",
                "2025-13-01",
                "--wage",
                "1",
            ],
            "--event-date",
        ),
        (
            benefit_main,
            [
                "--program",
                "jkk",
                "--event",
                "total_disability",
                "--event-date",
                "2025-01-01",
                "--wage",
                "1,5",
            ],
            "--wage",
        ),
        (
            benefit_main,
            [
                "--program",
                "jkm",
                "--event",
                "job_loss",
                "--event-date",
                "2025-01-01",
                "--wage",
                "1",
            ],
            "--event",
        ),
        (
            benefit_main,
            ["--program", "xyz", "--event", "death", "--event-date", "2025-01-01", "--wage", "1"],
            "--program",
        ),
        (
            benefit_main,
            [
                "--program",
                "jkk",
                "--event",
                "partial_disability",
                "--event-date",
                "2025-01-01",
                "--wage",
                "1",
            ],
            "--disability-percent",
        ),
        (
            benefit_main,
            [
                "--program",
                "jkk",
                "--event",
                "total_disability",
                "--event-date",
                "2014-01-01",
                "--wage",
                "1",
            ],
            "2014-01-01",
        ),
        (contribution_main, ["--segment", "pu", "--wage", "1", "--month", "2025-3x"], "--month"),
        (
            contribution_main,
            ["--segment", "pu", "--wage", "1", "--month", "2025-03"],
            "--risk-class",
        ),
        (
            contribution_main,
            ["--segment", "bpu", "--wage", "1", "--month", "2025-03", "--programs", "jkk,jp"],
            "--programs",
        ),
        (
            contribution_main,
            ["--segment", "pu", "--wage", "1", "--month", "2025-03", "--programs", "jkk,zzz"],
            "--programs",
        ),
        (contribution_main, ["--segment", "pu", "--wage", "-1", "--month", "2025-03"], "--wage"),
    ],
)
def test_bad_input_exit_2_names_option(main, argv, option, capsys):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert option in err


def test_help_exits_zero(capsys):
    assert benefit_main(["--help"]) == 0
    assert "--event-date" in capsys.readouterr().out


def test_text_output_months_and_dates_in_the_one_format(capsys):
    """Issue 13 item 4: text output says ``15 Sep 2025`` / ``Sep 2025``; JSON keeps ISO."""
    import re

    args = ["--program", "jkm", "--event", "death", "--event-date", "2025-09-15", "--wage",
            "3000000", "--membership-start", "2025-10-01"]
    assert benefit_main([*args, "--format", "text"]) == 0
    text = capsys.readouterr().out
    assert "tanggal 15 Sep 2025" in text and "dimulai 1 Okt 2025" in text
    assert not re.search(r"\d{4}-\d{2}", text), text
    assert benefit_main([*args, "--format", "json"]) == 0
    assert "dimulai 2025-10-01" in json.loads(capsys.readouterr().out)["reasons"][0]
    assert benefit_main(["--program", "jkm", "--event", "death", "--event-date", "2025-09-15",
                         "--wage", "1", "--membership-start", "1970-01-01"]) == 2
    assert "1977" in capsys.readouterr().err
    assert benefit_main(["--program", "jp", "--event", "retirement", "--event-date",
                         "2025-09-15", "--wage", "1", "--months-paid", "700"]) == 2
    err = capsys.readouterr().err
    assert "sampai 15 Sep 2025" in err and not re.search(r"\d{4}-\d{2}", err), err
    assert contribution_main(["--segment", "bpu", "--wage", "1000000", "--programs", "jkk,jkm",
                              "--month", "2025-08"]) == 0
    text = capsys.readouterr().out
    assert "bulan Agu 2025" in text and not re.search(r"\d{4}-\d{2}", text)

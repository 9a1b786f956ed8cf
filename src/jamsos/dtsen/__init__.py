"""DTSEN (Data Tunggal Sosial Ekonomi Nasional): the regency's extract in force on a date.

Shared reference data: the santunan kematian checks a household's decile in it, the coverage
app finds the working people of poor households who are not yet protected (issue 17).
"""

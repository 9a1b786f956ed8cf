"""Any string given to any numeric or date option of the CLI: exit 0 or 2 with one line in
Bahasa Indonesia, never a traceback (issue 11, item 3)."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jamsos.rules.cli import benefit_main, contribution_main

BASES = [
    ["--program", "jkk", "--event", "work_accident_death", "--event-date", "2025-06-01"],
    ["--program", "jkk", "--event", "partial_disability", "--event-date", "2025-06-01",
     "--disability-percent", "10"],
    ["--program", "jkk", "--event", "temporary_incapacity", "--event-date", "2025-06-01",
     "--incapacity-months", "3"],
    ["--program", "jp", "--event", "retirement", "--event-date", "2025-06-01", "--age", "60",
     "--months-paid", "24"],
    ["--program", "jp", "--event", "death", "--event-date", "2025-06-01",
     "--membership-start", "2020-01-01"],
    ["--program", "jht", "--event", "resignation", "--event-date", "2025-06-01",
     "--months-paid", "24"],
    ["--program", "jkp", "--event", "job_loss", "--event-date", "2025-06-01",
     "--months-paid-24", "20"],
    ["--program", "jkm", "--event", "death", "--event-date", "2025-06-01", "--months-paid", "40"],
]
BENEFIT_OPTIONS = [
    "--wage", "--months-paid", "--arrears-months", "--age", "--children", "--incapacity-months",
    "--disability-percent", "--function-loss-percent", "--treatment-cost", "--home-care-cost",
    "--balance", "--crediting-rate", "--contract-retirement-age", "--average-wage",
    "--registration-age", "--months-paid-24", "--consecutive-months", "--event-date",
    "--membership-start", "--membership-end", "--birth-date", "--claim-date", "--index-to",
    "--transport", "--child",
]
PREFIX = {"--transport": "land=", "--child": "2015-01-01:sd:"}
numberish = st.one_of(
    st.text(max_size=30),
    st.integers(-(10**40), 10**40).map(str),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.sampled_from(["1e999", "1E+999999999", "NaN", "-0", "٣", "²", "1_000", "1.000.000",
                     "0x10", " 7 ", "9" * 5000, "99999999", "2025-02-30", "9999-12-31",
                     "0001-01-01", "2025-06-01:sd:99"]),
)


def _check(rc: int, err: str) -> None:
    assert rc in (0, 2), err
    if rc == 2:
        lines = [line for line in err.splitlines() if line.strip()]
        assert len(lines) == 1, err
        assert "galat" in lines[0]
        assert "Traceback" not in err


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(BASES), st.sampled_from(BENEFIT_OPTIONS), numberish, numberish)
def test_benefit_cli_never_raises(base, option, value, wage):
    import contextlib
    import io

    argv = [*base, f"--wage={wage}" if option != "--wage" else "--wage=1000000",
            f"{option}={PREFIX.get(option, '')}{value}"]
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        rc = benefit_main(argv)
    _check(rc, err.getvalue())


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(["--wage", "--risk-class", "--month"]), numberish,
       st.sampled_from(["pu", "bpu"]))
def test_contribution_cli_never_raises(option, value, segment):
    import contextlib
    import io

    base = {"--wage": "3000000", "--risk-class": "1", "--month": "2025-06"}
    base[option] = value
    argv = ["--segment", segment, "--programs", "jkk,jkm,jht"]
    for k, v in base.items():
        if segment == "bpu" and k == "--risk-class" and option != k:
            continue
        argv.append(f"{k}={v}")
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        rc = contribution_main(argv)
    _check(rc, err.getvalue())


def test_issue_examples_are_one_line_refusals(capsys):
    for argv in (
        [*BASES[0], "--wage", "1000000000000000"],
        [*BASES[0], "--wage", "1" + "0" * 27],
        [*BASES[2][:-1], "99999999", "--wage", "3000000"],
    ):
        assert benefit_main(argv) == 2
        err = capsys.readouterr().err
        assert len(err.strip().splitlines()) == 1
        assert "batas wajar" in err

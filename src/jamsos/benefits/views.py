from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from jamsos.benefits.forms import (
    LEVEL_LABELS,
    MAX_CHILDREN,
    PROGRAM_LABELS,
    FormError,
    InputError,
    case_facts,
    contribution_input,
)
from jamsos.benefits.labels import event_label, item_label, payer_label
from jamsos.rules import EVENTS, DataError, MissingParameterError, compute_benefit
from jamsos.rules import compute_contributions as engine_contributions

#: The calculator's field ids, for the error summary's link.
FIELD_IDS = {"program": "b-program", "event": "b-event", "segment": "b-segment",
             "event_date": "b-date", "wage": "b-wage", "membership_start": "b-start",
             "arrears_months": "b-arrears", "birth_date": "b-birth",
             "incapacity_months": "b-stmb", "disability_percent": "b-dis",
             "treatment_cost": "b-treat", "home_care_cost": "b-home", "claim_date": "b-claim",
             "balance": "b-bal", "registration_age": "b-rage", "months_paid_24": "b-m24",
             "consecutive_months": "b-cons", "month": "c-month", "c_wage": "c-wage",
             "c_segment": "c-segment", "risk_class": "c-risk",
             **{f"child{i}_birth": f"b-c{i}" for i in range(1, MAX_CHILDREN + 1)}}


@login_required
def calculator(request):
    """Enter a case, see the itemised entitlement with its citations (printable)."""
    data = request.GET if "program" in request.GET or "month" in request.GET else None
    result = contribution = None
    error_field = error = ""
    if data is not None:
        try:
            if data.get("mode") == "iuran":
                contribution = engine_contributions(contribution_input(data))
            else:
                result = compute_benefit(case_facts(data))
        except FormError as exc:
            error_field, error = exc.field, exc.message
        except InputError as exc:
            error_field, error = exc.option.lstrip("-").replace("-", "_"), str(exc)
        except (MissingParameterError, DataError) as exc:
            error = str(exc)
    return render(request, "benefits/calculator.html", {
        "data": data or {}, "result": result, "contribution": contribution, "error": error,
        "summary": [(FIELD_IDS.get(error_field, ""), error)] if error else [],
        "error_field": error_field, "programs": PROGRAM_LABELS,
        "events": {p: [(e, event_label(e)) for e in names] for p, names in EVENTS.items()},
        "event_label": event_label(result.event) if result else "",
        "items": [(i, item_label(i.code), payer_label(getattr(i, "payer", "") or ""))
                  for i in (result or contribution).items] if (result or contribution) else [],
        "levels": LEVEL_LABELS, "child_rows": range(1, MAX_CHILDREN + 1),
    })

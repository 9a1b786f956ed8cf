from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from jamsos.benefits.forms import (
    LEVEL_LABELS,
    MAX_CHILDREN,
    PROGRAM_LABELS,
    BenefitForm,
    ContributionForm,
    InputError,
)
from jamsos.benefits.labels import event_label, item_label, payer_label
from jamsos.rules import EVENTS, DataError, MissingParameterError, compute_benefit
from jamsos.rules import compute_contributions as engine_contributions


@login_required
def calculator(request):
    """Enter a case, see the itemised entitlement with its citations (printable). Every wrong
    field is reported at once, in the summary and at the field, with the input kept."""
    asked = "program" in request.GET or "month" in request.GET
    iuran = asked and request.GET.get("mode") == "iuran"
    benefit_form = BenefitForm(request.GET if asked and not iuran else None, auto_id="b-%s")
    contribution_form = ContributionForm(request.GET if iuran else None, auto_id="c-%s")
    form = contribution_form if iuran else benefit_form
    result = contribution = None
    if asked and form.is_valid():
        try:
            if iuran:
                contribution = engine_contributions(form.facts())
            else:
                result = compute_benefit(form.facts())
        except InputError as exc:  # a refusal that needs every fact (programme months, …)
            form.add_engine_error(exc)
        except (MissingParameterError, DataError) as exc:
            form.add_error(None, str(exc))
    data = request.GET if asked else {}
    return render(request, "benefits/calculator.html", {
        "data": data, "result": result, "contribution": contribution,
        "form": form, "benefit_form": benefit_form, "contribution_form": contribution_form,
        "programs": PROGRAM_LABELS,
        "events": {p: [(e, event_label(e)) for e in names] for p, names in EVENTS.items()},
        "event_label": event_label(result.event) if result else "",
        "items": [(i, item_label(i.code), payer_label(getattr(i, "payer", "") or ""))
                  for i in (result or contribution).items] if (result or contribution) else [],
        "levels": LEVEL_LABELS, "child_rows": range(1, MAX_CHILDREN + 1),
        "checked_programs": ([p for p in PROGRAM_LABELS if data.get(f"c_{p}")] if iuran
                             else ["jkk", "jkm"]),
    })

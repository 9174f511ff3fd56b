"""Joining the network: /<lang>/join/.

A four-step application that works without JavaScript:

    1 the association → 2 legal identity and contacts → 3 the applicant → 4 receipt + summary

Steps 1-3 are kept in the session as typed (never a password: only its hash), so
"back" and "next" lose nothing. Every stored step is validated again with its form
before a later step is shown and before the application is saved: a step reached
by URL without the previous ones sends the visitor back to the first missing one,
and data altered in the session is refused. The receipt (a file cannot live in a
session) is checked and saved with the application at the last step.

The applicant follows their applications at /<lang>/join/applications/ and answers
there when staff ask for more information. Reviewing is in the Wagtail admin
(join_admin.py); the scan of a receipt is served to reviewers only (`receipt`).
"""

import secrets

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from allauth.account.utils import setup_user_email
from allauth.core import ratelimit

from accounts.models import User
from accounts.validators import sniff_mime

from . import notifications
from .join_admin import TransitionRefused, can_review, resubmit
from .join_forms import (
    PENDING,
    RECEIPT_EXTENSIONS,
    RECEIPT_TYPES,
    AnswerForm,
    ApplicantForm,
    AssociationForm,
    LegalForm,
    NewAccountForm,
    ReceiptForm,
    application_initial,
    association_values,
    set_terms,
)
from .models import MembershipApplication

SESSION_KEY = "join_application"
SUBMITTED_KEY = "join_submitted"
STEP_COUNT = 4
STEP_TITLES = {
    1: gettext_lazy("The association"),
    2: gettext_lazy("Legal identity and contacts"),
    3: gettext_lazy("Your account"),
    4: gettext_lazy("Registration receipt and confirmation"),
}
# Fields shown together, per step: (legend, field names).
FIELDSETS = {
    1: [
        (gettext_lazy("Names"), ["name_ar", "name_fr", "acronym", "short_description"]),
        (gettext_lazy("Activity"), ["fields_of_activity", "target_groups"]),
        (gettext_lazy("Location"), ["province", "city", "address"]),
        (
            gettext_lazy("Size"),
            ["members_count", "staff_count", "volunteers_count", "budget_band", "founded_year"],
        ),
    ],
    2: [
        (gettext_lazy("Legal identity"), ["registration_number", "registration_date"]),
        (gettext_lazy("Contacts"), ["email", "phone", "website"]),
    ],
    3: [
        (
            gettext_lazy("Your account"),
            ["email", "display_name", "password1", "password2", "preferred_language"],
        ),
        (gettext_lazy("Your role"), ["position", "confirm"]),
    ],
    4: [(gettext_lazy("Registration receipt"), ["receipt", "confirm"])],
}
ANSWER_FIELDSETS = (
    FIELDSETS[1] + FIELDSETS[2] + [(gettext_lazy("Your answer"), ["position", "receipt", "note"])]
)
NEVER_STORED = {"password1", "password2"}
# One submission at a time per registration number (two tabs, several servers).
SUBMIT_LOCK_SECONDS = 30


# ---------------------------------------------------------------------------
# The draft in the session
# ---------------------------------------------------------------------------
def _draft(request):
    draft = request.session.get(SESSION_KEY)
    if not isinstance(draft, dict) or not isinstance(draft.get("steps"), dict):
        draft = {"steps": {}}
    if not isinstance(draft.get("token"), str):
        draft["token"] = secrets.token_urlsafe(16)
    return draft


def _stored(draft, number):
    """The values kept for a step, or None. Only strings and lists of strings are
    accepted: anything else means the session was altered."""
    values = draft["steps"].get(str(number))
    if not isinstance(values, dict):
        return None
    for value in values.values():
        if isinstance(value, list):
            if not all(isinstance(item, str) for item in value):
                return None
        elif not isinstance(value, str):
            return None
    return values


def _store(request, draft, number, form, extra=None):
    values = {}
    for name, field in form.fields.items():
        if name in NEVER_STORED:
            continue
        if isinstance(field, forms.MultipleChoiceField):
            values[name] = form.data.getlist(name)
        else:
            values[name] = form.data.get(name, "")
    previous = _stored(draft, number) or {}
    if "password_hash" in previous:
        values["password_hash"] = previous["password_hash"]
    values.update(extra or {})
    draft["steps"][str(number)] = values
    request.session[SESSION_KEY] = draft


def _form(request, number, draft, data=None, files=None, initial=None):
    if number == 1:
        return AssociationForm(data, initial=initial)
    if number == 2:
        return LegalForm(data, initial=initial)
    if number == 3:
        if request.user.is_authenticated:
            return ApplicantForm(data, initial=initial)
        stored = _stored(draft, 3) or {}
        return NewAccountForm(data, initial=initial, password_hash=stored.get("password_hash"))
    return ReceiptForm(data, files)


def _check_previous_steps(request, draft, number):
    """Validate the kept steps before `number`: ({step: valid form}, first bad step)."""
    valid = {}
    for previous in range(1, number):
        values = _stored(draft, previous)
        if values is None:
            return valid, previous
        form = _form(request, previous, draft, data=values)
        if not form.is_valid():
            return valid, previous
        valid[previous] = form
    return valid, None


def _back_to(request, draft, step):
    """Redirect to a missing or invalid step, saying why."""
    if _stored(draft, step) is None:
        if step == 1:
            messages.info(request, _("Please start your application here."))
        else:
            messages.warning(request, _("Please complete this step first."))
        return redirect("join:step", step)
    messages.warning(request, _("Please check this step again."))
    return redirect(reverse("join:step", args=[step]) + "?check=1")


# ---------------------------------------------------------------------------
# Pages of the application
# ---------------------------------------------------------------------------
def start(request):
    """/join/: the first step not done yet (step 1 for a new application)."""
    draft = _draft(request)
    _valid, first_bad = _check_previous_steps(request, draft, STEP_COUNT)
    return redirect("join:step", first_bad or STEP_COUNT)


@never_cache
@require_http_methods(["GET", "POST"])
def step(request, number):
    if not 1 <= number <= STEP_COUNT:
        raise Http404
    draft = _draft(request)
    valid, first_bad = _check_previous_steps(request, draft, number)
    going_back = request.method == "POST" and request.POST.get("action") == "back"
    if request.method == "POST" and number == STEP_COUNT and not going_back:
        done = request.session.get(SUBMITTED_KEY)
        if isinstance(done, dict) and done.get("token") == request.POST.get("token"):
            # A second click on "Send", or the page sent again from the history.
            messages.warning(request, _("Your application has already been sent."))
            return redirect("join:thanks")

    if going_back and number > 1:
        if number < STEP_COUNT:
            _store(request, draft, number, _form(request, number, draft, data=request.POST))
        return redirect("join:step", number - 1)
    if first_bad is not None:
        return _back_to(request, draft, first_bad)

    if request.method == "POST" and number == STEP_COUNT:
        return _submit(request, draft, valid)
    if request.method == "POST":
        form = _form(request, number, draft, data=request.POST)
        if form.is_valid():
            extra = {}
            if form.cleaned_data.get("password_hash"):
                extra["password_hash"] = form.cleaned_data["password_hash"]
            _store(request, draft, number, form, extra)
            return redirect("join:step", number + 1)
    else:
        stored = _stored(draft, number) if number < STEP_COUNT else None
        if stored is not None and request.GET.get("check"):
            form = _form(request, number, draft, data=stored)
            form.is_valid()
        else:
            form = _form(request, number, draft, initial=stored)
    return _render_step(request, number, draft, form, valid)


def _render_step(request, number, draft, form, valid):
    context = {
        "step": {"number": number, "title": STEP_TITLES[number], "count": STEP_COUNT},
        "progress": [
            {
                "number": n,
                "title": STEP_TITLES[n],
                "current": n == number,
                "done": n < number,
                "url": reverse("join:step", args=[n]),
            }
            for n in range(1, STEP_COUNT + 1)
        ],
        "form": form,
        "fieldsets": _fieldsets(form, FIELDSETS[number]),
        "token": draft["token"],
        "error_forms": [form] if form.is_bound and form.errors else [],
        "account_exists": form.is_bound
        and "email" in form.fields
        and form.has_error("email", "account_exists"),
        "login_url": reverse("account_login") + "?next=" + reverse("join:step", args=[3]),
    }
    if number == STEP_COUNT:
        context["summary"] = _summary(request, valid)
    return render(request, "directory/join/step.html", context)


def _fieldsets(form, layout):
    return [
        {"legend": legend, "fields": [form[name] for name in names if name in form.fields]}
        for legend, names in layout
        if any(name in form.fields for name in names)
    ]


def _display(field, value):
    if value in (None, "", []):
        return ""
    if isinstance(field, forms.ChoiceField):
        labels = {}
        for key, label in field.choices:
            if isinstance(label, (list, tuple)):
                labels.update(dict(label))
            else:
                labels[key] = label
        if isinstance(value, list):
            return ", ".join(str(labels.get(item, item)) for item in value)
        return str(labels.get(value, value))
    if hasattr(value, "year") and hasattr(value, "day"):
        return formats.date_format(value, "DATE_FORMAT")
    return str(value)


def _summary(request, valid):
    """What the applicant declared, step by step, with links to change it."""
    sections = []
    for number, form in valid.items():
        rows = []
        for name, field in form.fields.items():
            if name in NEVER_STORED or isinstance(field, forms.BooleanField):
                continue
            shown = _display(field, form.cleaned_data.get(name))
            if shown:
                # Typed text takes its own direction; numbers and addresses read left to right.
                rows.append(
                    {
                        "label": field.label,
                        "value": shown,
                        "dir": field.widget.attrs.get("dir", "auto"),
                    }
                )
        sections.append(
            {
                "title": STEP_TITLES[number],
                "url": reverse("join:step", args=[number]),
                "rows": rows,
            }
        )
    if request.user.is_authenticated:
        sections[-1]["rows"].insert(
            0,
            {
                "label": _("Applicant"),
                "value": f"{request.user.public_name} ({request.user.email})",
                "dir": "auto",
            },
        )
    return sections


def _submit(request, draft, valid):
    """Step 4 sent: check the receipt, create the account if needed, save the application."""
    if request.POST.get("token") != draft["token"]:
        messages.warning(
            request, _("This page was out of date; please check it and send it again.")
        )
        return redirect("join:step", STEP_COUNT)

    form = ReceiptForm(request.POST, request.FILES)
    if not form.is_valid():
        return _render_step(request, STEP_COUNT, draft, form, valid)

    association = valid[1].cleaned_data
    legal = valid[2].cleaned_data
    applicant_data = valid[3].cleaned_data
    number = legal["registration_number"]
    lock = f"join-submit:{number.lower()}"
    if not cache.add(lock, 1, SUBMIT_LOCK_SECONDS):
        messages.warning(request, _("Your application is already being sent."))
        return redirect("join:thanks")
    try:
        with transaction.atomic():
            if MembershipApplication.objects.filter(
                registration_number__iexact=number, status__in=PENDING
            ).exists():
                # Sent meanwhile from another tab or by someone else: step 2 explains.
                return redirect(reverse("join:step", args=[2]) + "?check=1")
            if request.user.is_authenticated:
                applicant, new_account = request.user, False
            else:
                applicant = create_account(request, applicant_data)
                if applicant is None:
                    return redirect("join:step", 3)
                new_account = True
            application = MembershipApplication(
                applicant=applicant,
                applicant_position=applicant_data["position"],
                **association_values({**association, **legal}),
            )
            extension = RECEIPT_EXTENSIONS[form.receipt_mime]
            application.registration_receipt.save(
                f"receipt-{secrets.token_hex(12)}.{extension}",
                form.cleaned_data["receipt"],
                save=False,
            )
            try:
                application.save()
                set_terms(application, association)
            except Exception:
                application.registration_receipt.delete(save=False)
                raise
    finally:
        cache.delete(lock)

    if new_account:
        send_account_confirmation(request, applicant)
    notifications.application_received(application, new_account=new_account)
    notifications.application_to_review(application)
    request.session.pop(SESSION_KEY, None)
    request.session[SUBMITTED_KEY] = {
        "id": application.pk,
        "token": draft["token"],
        "new_account": new_account,
        "email": applicant.email,
    }
    return redirect("join:thanks")


def send_account_confirmation(request, user):
    """allauth's confirmation e-mail, in the person's language (accounts.adapter);
    overriding the language here gives its link the same language prefix."""
    address = setup_user_email(request, user, [])
    if address is not None:
        with translation.override(user.preferred_language):
            address.send_confirmation(request, signup=True)


def create_account(request, data):
    """A new account for an applicant (NewAccountForm's cleaned data); None (with a
    message) when it cannot be made. Also used by the specialists' applications."""
    if User.objects.filter(email__iexact=data["email"]).exists():
        messages.error(
            request,
            _(
                "An account already exists with this address. Log in first, then continue your application."
            ),
        )
        return None
    if not ratelimit.consume(request, action="signup"):
        messages.error(
            request,
            _("Too many accounts were created from your connection; please try again later."),
        )
        return None
    # The password was hashed at step 3 (the session never holds it in clear).
    user = User(
        email=User.objects.normalize_email(data["email"]),
        display_name=data["display_name"],
        preferred_language=data["preferred_language"],
        password=data["password_hash"],
    )
    user.save()
    return user


@never_cache
def thanks(request):
    done = request.session.get(SUBMITTED_KEY)
    if not isinstance(done, dict) or not isinstance(done.get("id"), int):
        return redirect("join:start")
    application = MembershipApplication.objects.filter(pk=done["id"]).first()
    if application is None:
        return redirect("join:start")
    return render(
        request,
        "directory/join/thanks.html",
        {
            "application": application,
            "new_account": bool(done.get("new_account")),
            "email": done.get("email", ""),
        },
    )


# ---------------------------------------------------------------------------
# The applicant's own applications
# ---------------------------------------------------------------------------
@login_required
def applications(request):
    mine = MembershipApplication.objects.filter(applicant=request.user).select_related(
        "association"
    )
    return render(request, "directory/join/applications.html", {"applications": mine})


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def application(request, pk):
    """One of the applicant's applications; the answer form when staff asked for more."""
    mine = get_object_or_404(
        MembershipApplication.objects.select_related("province", "association"),
        pk=pk,
        applicant=request.user,
    )
    waiting = mine.status == MembershipApplication.Status.INFO_REQUESTED
    context = {"application": mine, "waiting": waiting}
    if not waiting:
        if request.method == "POST":
            messages.error(request, _("This application is not waiting for more information."))
            return redirect("join:application", mine.pk)
        return render(request, "directory/join/application.html", context)

    initial = application_initial(mine)
    data = request.POST if request.method == "POST" else None
    files = request.FILES if request.method == "POST" else None
    parts = [
        AssociationForm(data, initial=initial),
        LegalForm(data, initial=initial, application=mine),
        AnswerForm(data, files, initial=initial),
    ]
    if request.method == "POST":
        if all(part.is_valid() for part in parts):
            return _answer(request, mine, *parts)
        context["error_forms"] = [part for part in parts if part.errors]
    fields = {name: part[name] for part in parts for name in part.fields}
    context["fieldsets"] = [
        {"legend": legend, "fields": [fields[name] for name in names]}
        for legend, names in ANSWER_FIELDSETS
    ]
    context["forms"] = parts
    return render(request, "directory/join/application.html", context)


def _answer(request, application, association_form, legal_form, answer_form):
    cleaned = {**association_form.cleaned_data, **legal_form.cleaned_data}
    answer = answer_form.cleaned_data
    old_receipt = application.registration_receipt.name

    def update(locked):
        for name, value in association_values(cleaned).items():
            setattr(locked, name, value)
        locked.applicant_position = answer["position"]
        locked.applicant_answer = answer["note"]
        locked.answered_at = timezone.now()
        if answer["receipt"]:
            extension = RECEIPT_EXTENSIONS[answer_form.receipt_mime]
            locked.registration_receipt.save(
                f"receipt-{secrets.token_hex(12)}.{extension}", answer["receipt"], save=False
            )
        set_terms(locked, cleaned)

    try:
        updated = resubmit(application, update)
    except TransitionRefused as refusal:
        messages.error(request, str(refusal))
        return redirect("join:application", application.pk)
    if answer["receipt"] and old_receipt and old_receipt != updated.registration_receipt.name:
        updated.registration_receipt.storage.delete(old_receipt)
    notifications.application_to_review(updated, answered=True, note=answer["note"])
    messages.success(
        request,
        _("Thank you: your answer has been sent, and your application is back with our team."),
    )
    return redirect("join:application", updated.pk)


# ---------------------------------------------------------------------------
# The scan of a receipt, for reviewers only
# ---------------------------------------------------------------------------
@never_cache
def receipt(request, pk):
    """Streams a private receipt to a reviewer. Anyone else gets 404, whether the
    application exists or not, so that nobody can probe for them."""
    if not can_review(request.user):
        raise Http404
    application = get_object_or_404(MembershipApplication, pk=pk)
    if not application.registration_receipt:
        raise Http404
    try:
        handle = application.registration_receipt.open("rb")
    except FileNotFoundError as missing:
        raise Http404 from missing
    mime = sniff_mime(handle)
    safe = mime in RECEIPT_TYPES
    response = FileResponse(
        handle,
        content_type=mime if safe else "application/octet-stream",
        as_attachment=not safe,
        filename=f"receipt-{application.pk}.{RECEIPT_EXTENSIONS.get(mime, 'bin')}",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response

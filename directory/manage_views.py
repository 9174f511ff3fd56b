"""Association admins' pages: /<lang>/my/associations/.

People who act for an association see it here; its administrators (and staff, who
act for any association) edit its profile and manage its people without the
Wagtail admin. A profile edit is a Wagtail revision of the association's Arabic
source page, published at once or sent to the moderation workflow according to the
site setting `moderate_association_edits`. Every change is logged (history.py).
"""

import functools
import logging
import operator

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import Group
from django.contrib.auth.views import redirect_to_login
from django.db import transaction
from django.db.models import Q
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from wagtail.images import get_image_model
from wagtail.models import Collection, Locale, Page, WorkflowState

from accounts import roles
from home.models import SiteSettings

from . import history, invitations
from .manage_forms import AssociationEditForm, InvitationForm
from .models import AssociationPage, Invitation, Membership, Province
from .permissions import can_manage, is_staff

logger = logging.getLogger(__name__)


def _see_other(url):
    """Redirect after a POST (303: the browser follows with a GET)."""
    response = HttpResponseRedirect(url)
    response.status_code = 303
    return response


def _crumbs(*items):
    crumbs = [{"title": _("My associations"), "url": reverse("manage:list")}]
    return crumbs + [{"title": title, "url": url} for title, url in items]


def _public_page(page):
    """The association's page in the active language (its source page otherwise)."""
    if page.locale_id == Locale.get_active().pk:
        return page
    localized = (
        AssociationPage.objects.filter(
            translation_key=page.translation_key, locale=Locale.get_active()
        )
        .live()
        .first()
    )
    return localized or page


def association_manager(view):
    """Login required; the association (`pk`, its source page) must be managed by the user."""

    @functools.wraps(view)
    @login_required
    def wrapper(request, pk, *args, **kwargs):
        page = get_object_or_404(AssociationPage, pk=pk)
        source = page.source_page
        if source.pk != page.pk:
            return HttpResponseRedirect(
                reverse(request.resolver_match.view_name, kwargs={"pk": source.pk})
            )
        if not can_manage(request.user, source):
            return render(
                request,
                "directory/manage/forbidden.html",
                {"association": source, "breadcrumbs": _crumbs((source.display_name, None))},
                status=403,
            )
        return view(request, source, *args, **kwargs)

    return wrapper


# ---------------------------------------------------------------------------
# My associations
# ---------------------------------------------------------------------------
@login_required
def my_associations(request):
    """The user's memberships; staff also search any association to act for."""
    memberships = list(
        Membership.objects.filter(user=request.user)
        .select_related("association")
        .order_by("association__name_ar")
    )
    staff = is_staff(request.user)
    query, results = "", None
    if staff:
        # A plain substring search: the ORM escapes it, and punctuation matters here
        # (registration numbers, "L'Heure Joyeuse").
        query = " ".join(request.GET.get("q", "").split())[:100]
        if query:
            results = list(
                AssociationPage.objects.filter(locale=Locale.get_default())
                .filter(
                    Q(name_ar__icontains=query)
                    | Q(name_fr__icontains=query)
                    | Q(acronym__iexact=query)
                    | Q(other_spellings__icontains=query)
                    | Q(registration_number__iexact=query)
                )
                .order_by("name_ar")[:25]
            )
    pages = [m.association for m in memberships] + (results or [])
    localized = {
        p.translation_key: p
        for p in AssociationPage.objects.filter(
            translation_key__in={p.translation_key for p in pages}, locale=Locale.get_active()
        ).live()
    }
    for page in pages:
        public = localized.get(page.translation_key)
        page.public_url = public.get_url(request) if public else None
    addressed_to_me = functools.reduce(
        operator.or_, (Q(email__iexact=email) for email in invitations.user_emails(request.user))
    )
    waiting = [
        {"invitation": invitation, "token": invitations.signed_token(invitation)}
        for invitation in Invitation.objects.filter(
            addressed_to_me,
            accepted_at__isnull=True,
            revoked_at__isnull=True,
            expires_at__gt=timezone.now(),
        ).select_related("association")
    ]
    return render(
        request,
        "directory/manage/list.html",
        {
            "memberships": memberships,
            "is_staff": staff,
            "query": query,
            "results": results,
            "waiting_invitations": waiting,
            "breadcrumbs": [{"title": _("My associations"), "url": None}],
        },
    )


# ---------------------------------------------------------------------------
# Profile edit
# ---------------------------------------------------------------------------
def _moderated(request):
    return SiteSettings.for_request(request).moderate_association_edits


def _logo_image(uploaded, page, user):
    image = get_image_model()(
        title=f"Logo – {page.name_fr or page.name_ar}"[:255],
        collection=Collection.get_first_root_node(),
        uploaded_by_user=user,
    )
    # Assigned after construction so that Django reads the image's dimensions.
    image.file = uploaded
    image._set_image_file_metadata()
    image.save()
    return image


def _lock_message(page, user):
    """Why the user may not edit now, or None."""
    lock = page.get_lock()
    if lock is None or not lock.for_user(user):
        return None
    state = page.current_workflow_state
    if state is not None and state.status == WorkflowState.STATUS_IN_PROGRESS:
        return _(
            "Changes to this profile are awaiting approval by the staff. You can edit it "
            "again once they have been reviewed."
        )
    return _("The staff have locked this profile for now. Try again later or contact them.")


def _submit_for_moderation(page, user):
    """Send the latest revision to the page's workflow (Wagtail's moderation)."""
    page = AssociationPage.objects.get(pk=page.pk)
    state = page.current_workflow_state
    if state is not None and state.status == WorkflowState.STATUS_NEEDS_CHANGES:
        state.resume(user)
        return True
    if state is not None:
        return True  # already in moderation: the reviewers see the latest revision
    workflow = page.get_workflow()
    if workflow is None:
        logger.warning("No active workflow for association %s: edit kept as a draft", page.pk)
        return False
    workflow.start(page, user)
    return True


def _save_edit(request, page, draft, form, moderated):
    """Save the edit as a revision by the user, then publish it or send it to moderation."""
    user = request.user
    edit_url = reverse("manage:edit", kwargs={"pk": page.pk})
    form.apply_relations(draft)
    if form.cleaned_data.get("logo_file"):
        draft.logo = _logo_image(form.cleaned_data["logo_file"], draft, user)
    revision = draft.save_revision(user=user, log_action=True)
    fields = form.changed_fields()
    if moderated:
        in_workflow = _submit_for_moderation(page, user)
        history.record(page, history.PROFILE_SUBMITTED, user, fields=fields)
        messages.success(
            request,
            _(
                "Your changes have been saved. They will appear on the profile once the "
                "staff have approved them."
            )
            if in_workflow
            else _("Your changes have been saved and will be reviewed by the staff."),
        )
        return _see_other(edit_url)
    if not page.live and not is_staff(user):
        # Staff took the profile offline: an edit must not put it back online.
        history.record(page, history.PROFILE_SUBMITTED, user, fields=fields)
        messages.success(
            request,
            _(
                "Your changes have been saved. The profile is not public at the moment: "
                "the staff decide when it is published again."
            ),
        )
        return _see_other(edit_url)
    revision.publish(user=user, skip_permission_checks=True)
    history.record(page, history.PROFILE_EDITED, user, fields=fields)
    messages.success(request, _("The profile has been updated."))
    public = _public_page(AssociationPage.objects.get(pk=page.pk))
    return _see_other(public.get_url(request) or edit_url)


@association_manager
@require_http_methods(["GET", "POST"])
def edit(request, page):
    """Edit the association's profile: a Wagtail revision, published or moderated."""
    user = request.user
    draft = page.get_latest_revision_as_object()
    moderated = _moderated(request) and not is_staff(user)
    locked = _lock_message(page, user)
    status = 200
    if request.method == "POST" and locked:
        messages.error(request, locked)
        return _see_other(reverse("manage:edit", kwargs={"pk": page.pk}))
    if request.method == "POST":
        old_name, old_title = draft.name_ar, draft.title
        form = AssociationEditForm(request.POST, request.FILES, instance=draft)
        if form.is_valid():
            with transaction.atomic():
                current = (
                    Page.objects.select_for_update()
                    .values_list("latest_revision_id", flat=True)
                    .get(pk=page.pk)
                )
                stale = str(form.cleaned_data.get("latest_revision") or "") != str(current or "")
                if not stale:
                    if draft.name_ar != old_name and old_title == old_name:
                        draft.title = draft.name_ar
                    return _save_edit(request, page, draft, form, moderated)
            status = 409
            messages.error(
                request,
                _(
                    "Someone else saved this profile after you opened the form, so "
                    "your changes were not saved. Your changes are still shown below: "
                    "open the form again to start from the latest version."
                ),
            )
        else:
            messages.error(request, _("Please correct the errors below."))
    else:
        form = AssociationEditForm(instance=draft)
    state = page.current_workflow_state
    context = {
        "association": page,
        "form": form,
        "locked": locked,
        "moderated": moderated,
        "pending": state if state is not None and state.is_active else None,
        "public_url": _public_page(page).get_url(request) if page.live else None,
        "reload_url": reverse("manage:edit", kwargs={"pk": page.pk}),
        "breadcrumbs": _crumbs((page.display_name, None)),
        # The map where the position is picked (location-picker.js).
        "tile_url": settings.DIRECTORY_MAP_TILE_URL,
        "province_centres": {
            str(pk): [float(latitude), float(longitude)]
            for pk, latitude, longitude in Province.source_terms().values_list(
                "pk", "latitude", "longitude"
            )
        },
    }
    return render(request, "directory/manage/edit.html", context, status=status)


# ---------------------------------------------------------------------------
# Members
# ---------------------------------------------------------------------------
def _admin_count(page):
    return Membership.objects.for_association(page).admins().count()


def _drop_members_group(user):
    """Someone who acts for no association any more leaves the Members role."""
    if not Membership.objects.filter(user=user).exists():
        user.groups.remove(*Group.objects.filter(name=roles.MEMBERS))


def _last_admin_message():
    return _(
        "An association needs at least one administrator: make another member "
        "administrator before you step down or leave."
    )


def _find_membership(request, page):
    try:
        pk = int(request.POST.get("membership", ""))
    except ValueError:
        return None
    return Membership.objects.for_association(page).filter(pk=pk).select_related("user").first()


def _invite(request, page):
    form = InvitationForm(request.POST, association=page)
    if not form.is_valid():
        return form
    invitation = Invitation.objects.create(
        association=page,
        email=form.cleaned_data["email"],
        role=form.cleaned_data["role"],
        invited_by=request.user,
    )
    sent = invitations.send_invitation(request, invitation)
    history.record(
        page, history.MEMBER_INVITED, request.user, email=invitation.email, role=invitation.role
    )
    if sent:
        messages.success(
            request, _("An invitation has been sent to %(email)s.") % {"email": invitation.email}
        )
    else:
        messages.warning(
            request,
            _(
                "The invitation to %(email)s is recorded but the e-mail could not be sent. "
                "Withdraw it and try again later."
            )
            % {"email": invitation.email},
        )
    return None


def _withdraw(request, page):
    try:
        pk = int(request.POST.get("invitation", ""))
    except ValueError:
        pk = None
    invitation = Invitation.objects.filter(
        pk=pk, association=page, accepted_at__isnull=True, revoked_at__isnull=True
    ).first()
    if invitation is None:
        messages.error(request, _("This invitation no longer exists or was already used."))
        return
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    history.record(
        page,
        history.INVITATION_WITHDRAWN,
        request.user,
        email=invitation.email,
        role=invitation.role,
    )
    messages.success(
        request, _("The invitation to %(email)s has been withdrawn.") % {"email": invitation.email}
    )


def _remove(request, page, membership):
    """Remove someone (or oneself: leave). Returns True when the user left."""
    if membership.is_admin and _admin_count(page) <= 1:
        messages.error(request, _last_admin_message())
        return False
    person = membership.user
    name = person.public_name
    membership.delete()
    _drop_members_group(person)
    if person == request.user:
        history.record(page, history.MEMBER_LEFT, request.user, name=name, old_role=membership.role)
        messages.success(
            request,
            _("You no longer act for %(association)s.") % {"association": page.display_name},
        )
        return True
    history.record(page, history.MEMBER_REMOVED, request.user, name=name, old_role=membership.role)
    invitations.send_removed(request, person, page)
    messages.success(request, _("%(name)s has been removed.") % {"name": name})
    return False


def _set_role(request, page, membership, role):
    """Change someone's role; refuses to leave the association without an admin."""
    if role not in dict(Membership.ROLE_CHOICES):
        messages.error(request, _("Choose a valid role."))
        return False
    if role == membership.role:
        return True
    if membership.is_admin and _admin_count(page) <= 1:
        messages.error(request, _last_admin_message())
        return False
    old_role = membership.role
    membership.role = role
    membership.save(update_fields=["role"])
    person = membership.user
    history.record(
        page,
        history.ROLE_CHANGED,
        request.user,
        name=person.public_name,
        role=role,
        old_role=old_role,
    )
    if role == Membership.ADMIN and person != request.user:
        invitations.send_now_admin(request, person, page)
    return True


@association_manager
@require_http_methods(["GET", "POST"])
def members(request, page):
    """People of the association, pending invitations, and the forms that change them."""
    user = request.user
    members_url = reverse("manage:members", kwargs={"pk": page.pk})
    invite_form = InvitationForm(association=page)
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "invite":
            invalid = _invite(request, page)
            if invalid is None:
                return _see_other(members_url)
            invite_form, status = invalid, 200
            messages.error(request, _("Please correct the errors below."))
        elif action == "withdraw":
            _withdraw(request, page)
            return _see_other(members_url)
        elif action in ("remove", "role", "handover"):
            membership = _find_membership(request, page)
            if membership is None:
                messages.error(request, _("This person no longer acts for the association."))
                return _see_other(members_url)
            with transaction.atomic():
                if action == "remove":
                    left = _remove(request, page, membership)
                    if left and not can_manage(user, page):
                        return _see_other(reverse("manage:list"))
                elif action == "role":
                    role = request.POST.get("role", "")
                    if _set_role(request, page, membership, role):
                        if membership.user == user and not can_manage(user, page):
                            messages.success(request, _("You are now a member of the association."))
                            return _see_other(reverse("manage:list"))
                        messages.success(
                            request,
                            _("%(name)s is now %(role)s.")
                            % {
                                "name": membership.user.public_name,
                                "role": membership.get_role_display(),
                            },
                        )
                else:
                    _hand_over(request, page, membership)
                    if not can_manage(user, page):
                        return _see_other(reverse("manage:list"))
            return _see_other(members_url)
        else:
            messages.error(request, _("Unknown action."))
            return _see_other(members_url)

    people = list(
        Membership.objects.for_association(page)
        .select_related("user")
        .order_by("role", "created_at")
    )
    mine = next((m for m in people if m.user_id == user.pk), None)
    pending = list(
        Invitation.objects.filter(
            association=page,
            accepted_at__isnull=True,
            revoked_at__isnull=True,
            expires_at__gt=timezone.now(),
        ).select_related("invited_by")
    )
    context = {
        "association": page,
        "people": people,
        "mine": mine,
        "handover_candidates": [m for m in people if not m.is_admin],
        "admin_count": sum(1 for m in people if m.is_admin),
        "role_choices": Membership.ROLE_CHOICES,
        "pending": pending,
        "invite_form": invite_form,
        "changes": history.recent_changes(page),
        "breadcrumbs": _crumbs(
            (page.display_name, reverse("manage:edit", kwargs={"pk": page.pk})),
            (_("Members"), None),
        ),
    }
    return render(request, "directory/manage/members.html", context, status=status)


def _hand_over(request, page, membership):
    """Make `membership` an administrator; the acting admin may step down at once."""
    user = request.user
    if membership.user == user:
        messages.error(request, _("Choose another member to hand over to."))
        return
    if not _set_role(request, page, membership, Membership.ADMIN):
        return
    messages.success(
        request,
        _("%(name)s is now an administrator.") % {"name": membership.user.public_name},
    )
    if request.POST.get("step_down"):
        mine = Membership.objects.for_association(page).filter(user=user).first()
        if mine is not None and mine.is_admin and _set_role(request, page, mine, Membership.MEMBER):
            messages.success(request, _("You are now a member of the association."))


# ---------------------------------------------------------------------------
# Accepting an invitation
# ---------------------------------------------------------------------------
def _invitation_problem(request, reason, status, invitation=None):
    return render(
        request,
        "directory/manage/invitation_problem.html",
        {
            "reason": reason,
            "association": invitation.association if invitation else None,
            "breadcrumbs": [{"title": _("Invitation"), "url": None}],
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
def accept(request, token):
    """The invitation link: single use, expiring, for the invited address only."""
    try:
        raw = invitations.token_from_link(token)
    except invitations.InvalidLink:
        return _invitation_problem(request, "invalid", 404)
    invitation = (
        Invitation.objects.filter(token=raw).select_related("association", "invited_by").first()
    )
    if invitation is None:
        return _invitation_problem(request, "invalid", 404)
    if invitation.accepted_at is not None:
        return _invitation_problem(request, "used", 410, invitation)
    if invitation.revoked_at is not None:
        return _invitation_problem(request, "withdrawn", 410, invitation)
    if invitation.expires_at <= timezone.now():
        return _invitation_problem(request, "expired", 410, invitation)

    page = invitation.association
    if not request.user.is_authenticated:
        messages.info(
            request,
            _(
                "Log in, or create an account, with the address the invitation was sent "
                "to (%(email)s) to join %(association)s."
            )
            % {"email": invitations.mask_email(invitation.email), "association": page.display_name},
        )
        return redirect_to_login(request.get_full_path())
    if invitation.email.lower() not in invitations.user_emails(request.user):
        return render(
            request,
            "directory/manage/invitation_wrong_user.html",
            {
                "association": page,
                "masked_email": invitations.mask_email(invitation.email),
                "breadcrumbs": [{"title": _("Invitation"), "url": None}],
            },
            status=403,
        )
    if request.method == "POST":
        return _accept(request, invitation)
    return render(
        request,
        "directory/manage/accept.html",
        {
            "invitation": invitation,
            "association": page,
            "breadcrumbs": [{"title": _("Invitation"), "url": None}],
        },
    )


def _accept(request, invitation):
    user, page = request.user, invitation.association
    with transaction.atomic():
        # Single use even when the button is pressed twice at once.
        claimed = Invitation.objects.filter(
            pk=invitation.pk, accepted_at__isnull=True, revoked_at__isnull=True
        ).update(accepted_at=timezone.now(), accepted_by=user)
        if not claimed:
            return _invitation_problem(request, "used", 410, invitation)
        membership, created = Membership.objects.get_or_create(
            user=user, association=page, defaults={"role": invitation.role}
        )
        if not created and invitation.role == Membership.ADMIN and not membership.is_admin:
            membership.role = Membership.ADMIN
            membership.save(update_fields=["role"])
        user.groups.add(*Group.objects.filter(name=roles.MEMBERS))
        history.record(
            page,
            history.INVITATION_ACCEPTED,
            user,
            name=user.public_name,
            email=invitation.email,
            role=membership.role,
        )
    messages.success(
        request,
        _("Welcome! You now act for %(association)s as %(role)s.")
        % {"association": page.display_name, "role": membership.get_role_display()},
    )
    if membership.is_admin:
        return _see_other(reverse("manage:members", kwargs={"pk": page.pk}))
    return _see_other(reverse("manage:list"))

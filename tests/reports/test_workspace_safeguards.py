"""The press release page (issue 13, item 8): the draft beside its rendered preview, a confirmation before
publishing that says what becomes public, and the approval step visible whenever the institute asks for one."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages
from django.urls import reverse

from podium.core.models import Organisation
from podium.core.selectors import organisation_forget
from podium.demo.loader import demo_load
from podium.events.models import Event
from podium.reports import services
from podium.reports.models import Report, ReportVersion


@pytest.fixture
def upcoming(db):
    demo_load()
    organisation_forget()
    event = Event.objects.get(slug="pakistan-central-asia-connectivity")
    services.report_compose(event=event)
    return event


def staff(username="editor", *codenames):
    user = get_user_model().objects.create_user(username, password="pw-123-long", is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(content_type__app_label="reports", codename__in=codenames or ["change_report"])
    )
    return user


def _require_approval(required: bool = True) -> None:
    Organisation.objects.filter(pk=1).update(report_approval_required=required)
    organisation_forget()


def _workspace(client, event) -> str:
    response = client.get(reverse("reports:workspace", args=[event.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_draft_and_its_rendered_preview_are_side_by_side(client, upcoming):
    client.force_login(staff())
    page = _workspace(client, upcoming)
    version = Report.objects.get(event=upcoming).current_version
    draft = page[page.index('<section aria-labelledby="draft"') :]
    columns = draft[draft.index('<div class="report-columns">') : draft.index('<h3 id="versions">')]
    editor, preview = columns.split('<section class="report-preview"')
    assert 'name="headline"' in editor and 'name="body"' in editor
    assert "Preview of version 1" in preview and "Draft: not for publication" in preview
    assert f'<h3 class="release-headline">{version.headline}</h3>' in preview
    assert "<p>" + version.paragraphs[0] + "</p>" in preview
    assert "NUST Institute of Policy Studies" in preview and "— Ends —" in preview


def test_preview_without_saving_shows_the_typed_text_and_saves_nothing(client, upcoming):
    client.force_login(staff())
    response = client.post(
        reverse("reports:edit", args=[upcoming.pk]),
        {"headline": "A new headline", "body": "First paragraph.\n\nSecond <b>one</b>.", "base": "1", "preview": "on"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Preview of your text, not saved" in page
    assert '<h3 class="release-headline">A new headline</h3>' in page
    assert "<p>Second &lt;b&gt;one&lt;/b&gt;.</p>" in page  # escaped, as every export does
    assert 'value="A new headline"' in page and 'name="base" value="1"' in page  # the editor keeps the text
    assert ReportVersion.objects.filter(report__event=upcoming).count() == 1


@pytest.mark.parametrize("fields", [{"headline": "\x00"}, {"base": "many"}, {"preview": "\x00", "body": "\x00"}])
def test_preview_of_bad_input_gets_a_message(client, upcoming, fields):
    client.force_login(staff())
    data = {"headline": "H", "body": "B", "base": "1", "preview": "on", **fields}
    response = client.post(reverse("reports:edit", args=[upcoming.pk]), data)
    assert response.status_code == 400 and 'role="alert"' in response.content.decode()


def test_publishing_asks_first_and_says_what_becomes_public(client, upcoming):
    client.force_login(staff("editor", "change_report", "publish_report"))
    assert "Publish version 1…" in _workspace(client, upcoming)
    url = reverse("reports:action", args=[upcoming.pk, "publish"])
    response = client.post(url, {"number": "1"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "What becomes public" in page
    assert "On the event&#x27;s public page, for anyone" in page
    assert "In the press-release feed (Atom)" in page and "In the site&#x27;s search." in page
    assert "web page, Markdown, Word and PDF" in page
    assert "Draft: not for publication" not in page  # it reads as it will be published
    assert 'name="confirmed" value="on"' in page and "Publish version 1 now" in page
    assert Report.objects.get(event=upcoming).published_version is None

    client.post(url, {"number": "1", "confirmed": "on"})
    assert Report.objects.get(event=upcoming).published_version.number == 1


def test_the_confirmation_names_the_version_it_replaces_and_an_unlisted_events_reach(client, upcoming):
    services.report_publish(event=upcoming, user=None)
    version = Report.objects.get(event=upcoming).current_version
    services.report_edit(event=upcoming, headline=version.headline, body=version.body + "\n\nMore.", base_number=1)
    Event.objects.filter(pk=upcoming.pk).update(visibility=Event.Visibility.UNLISTED)
    client.force_login(staff("editor", "change_report", "publish_report"))
    page = client.post(reverse("reports:action", args=[upcoming.pk, "publish"]), {"number": "2"}).content.decode()
    assert "It replaces version 1" in page
    assert "for anyone who has its address (the event is unlisted)" in page
    assert "Not in the feed or the search" in page and "press-release feed (Atom)" not in page


@pytest.mark.parametrize(
    "visibility, status, words",
    [
        (Event.Visibility.INVITATION_ONLY, Event.Status.ANNOUNCED, "only staff and people with an invitation"),
        (Event.Visibility.PUBLIC, Event.Status.DRAFT, "The event is still a draft"),
    ],
)
def test_the_confirmation_says_who_can_read_it_for_restricted_events(client, upcoming, visibility, status, words):
    Event.objects.filter(pk=upcoming.pk).update(visibility=visibility, status=status)
    client.force_login(staff("editor", "change_report", "publish_report"))
    page = client.post(reverse("reports:action", args=[upcoming.pk, "publish"]), {"number": "1"}).content.decode()
    assert words in page


def test_the_confirmation_is_refused_with_a_message_when_publishing_would_be(client, upcoming):
    client.force_login(staff("editor", "change_report", "publish_report"))
    url = reverse("reports:action", args=[upcoming.pk, "publish"])
    for data, words in (
        ({"number": "7"}, "was saved after you opened version 7"),
        ({"number": "x"}, "Say which version you mean"),
    ):
        response = client.post(url, data)
        assert response.status_code == 302
        assert any(words in str(m) for m in get_messages(response.wsgi_request))
    _require_approval()
    response = client.post(url, {"number": "1"})
    assert response.status_code == 302
    assert any("second staff member has approved" in str(m) for m in get_messages(response.wsgi_request))
    assert Report.objects.get(event=upcoming).published_version is None


def test_the_approval_step_is_visible_whenever_the_institute_requires_one(client, upcoming):
    writer = staff("writer", "change_report", "publish_report")
    checker = staff("checker", "change_report", "approve_report", "publish_report")
    client.force_login(writer)
    assert "approval-steps" not in _workspace(client, upcoming)  # not asked for: not shown

    _require_approval()
    page = _workspace(client, upcoming)
    steps = page[page.index('<div class="approval-steps">') : page.index("</ol>")]
    assert "only once a second staff member has approved it" in steps
    assert '<li aria-current="step"><strong>Draft</strong>: version 1, not yet sent for approval.' in steps
    assert "not asked yet." in steps and "waits for the approval." in steps
    assert "Publish version 1" not in page and "Ask for approval" in page

    services.report_submit(event=upcoming, user=writer, number=1)
    page = _workspace(client, upcoming)
    assert '<li aria-current="step"><strong>Approval</strong>' in page
    assert "asked by writer, waiting. You cannot approve press releases" in page

    services.report_approve(event=upcoming, user=checker, number=1)
    page = _workspace(client, upcoming)
    assert "approved by checker on" in page and '<li aria-current="step"><strong>Publish</strong>: ready.' in page
    assert "Publish version 1…" in page

    client.post(reverse("reports:action", args=[upcoming.pk, "publish"]), {"number": "1", "confirmed": "on"})
    page = _workspace(client, upcoming)
    assert "<strong>Publish</strong>: done." in page


def test_the_approval_step_shows_before_there_is_a_draft(client, db):
    demo_load()
    _require_approval()
    event = Event.objects.get(slug="cpec-second-phase-roundtable")
    client.force_login(staff())
    page = _workspace(client, event)
    assert "<strong>Draft</strong>: none yet." in page and "Preview" in page


def test_withdrawing_asks_first_and_says_what_disappears(client, upcoming):
    services.report_publish(event=upcoming, user=None)
    client.force_login(staff("editor", "change_report", "publish_report"))
    assert "Withdraw from the public page…" in _workspace(client, upcoming)
    url = reverse("reports:action", args=[upcoming.pk, "withdraw"])
    response = client.post(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert "What disappears from the public site" in page
    assert "The press release and its date, from the event&#x27;s public page." in page
    assert "Its entry in the press-release feed (Atom)" in page and "Its entry in the site&#x27;s search." in page
    assert "their addresses stop working" in page
    assert 'name="confirmed" value="on"' in page and "Withdraw it now" in page
    assert Report.objects.get(event=upcoming).published_version is not None  # asking withdrew nothing

    client.post(url, {"confirmed": "on"})
    assert Report.objects.get(event=upcoming).published_version is None
    response = client.post(url)  # nothing left to withdraw: a message, not a confirmation
    assert response.status_code == 302
    assert any("not published" in str(m) for m in get_messages(response.wsgi_request))


def test_the_withdrawal_confirmation_of_an_unlisted_event_names_only_its_page(client, upcoming):
    services.report_publish(event=upcoming, user=None)
    Event.objects.filter(pk=upcoming.pk).update(visibility=Event.Visibility.UNLISTED)
    client.force_login(staff("editor", "change_report", "publish_report"))
    page = client.post(reverse("reports:action", args=[upcoming.pk, "withdraw"])).content.decode()
    assert "the event is unlisted: it was never in the feed or search" in page
    assert "press-release feed (Atom)" not in page

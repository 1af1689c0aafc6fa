"""The report workspace for staff (transcript, speaker mapping, points, the draft and its versions,
approval, publishing) and the public downloads of a published press release."""

from django.http import Http404, HttpResponse
from django.views.decorators.http import require_GET

from podium.events.views import visible_event
from podium.reports import selectors


def _download(release, fmt: str) -> HttpResponse:
    from podium.reports import exports  # TEMP until exports.py lands

    if fmt not in exports.EXPORTS:
        raise Http404("No such format")
    render_export, content_type, _ = exports.EXPORTS[fmt]
    try:
        data = render_export(release=release)
    except exports.ExportUnavailable as error:
        return HttpResponse(error.message, status=503, content_type="text/plain; charset=utf-8")
    response = HttpResponse(data, content_type=content_type)
    disposition = "inline" if fmt == "html" else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{exports.export_filename(release=release, fmt=fmt)}"'
    return response


@require_GET
def public_export(request, slug: str, fmt: str):
    """The published press release of a visible event, as HTML, Markdown, DOCX or PDF."""
    event = visible_event(request, slug)
    version = selectors.report_published_for(event=event)
    if version is None:
        raise Http404("No press release has been published for this event")
    return _download(selectors.press_release_for(event=event, version=version, draft=False), fmt)

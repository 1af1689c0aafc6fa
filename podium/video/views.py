"""BigBlueButton's end-of-meeting callback: the one video address a server, not a person, calls."""

from django.http import Http404, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from podium.video import services


@never_cache
@require_GET
def bbb_ended(request, uid, token: str):
    """GET from BigBlueButton (meta_endCallbackUrl, with `recordingmarks` added). The token in the path is
    Podium's signature of the event's uid; anything else is a 404 that reveals nothing."""
    if not services.video_room_ended(event_uid=uid, token=token):
        raise Http404("No such meeting")
    return HttpResponse("ok", content_type="text/plain")

"""The public 12310 form (no login): rate-limited per client address, an arithmetic question the system asks
itself, anonymous unless the citizen leaves a name or a contact; it answers with the tracking code. The tracking
page shows the state and the public reply only."""

from __future__ import annotations

from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from bianzhi.core.forms import call_service
from bianzhi.core.throttle import rate_limited
from bianzhi.supervision import complaints as service
from bianzhi.supervision import selectors
from bianzhi.supervision.captcha import captcha_check, captcha_issue
from bianzhi.supervision.choices import Channel
from bianzhi.supervision.forms import PublicComplaintForm, TrackForm

LIMITED = "supervision/public/rate_limited.html"
# the pages, as the other public pages; each address may also send only a few complaints a minute
public_page = rate_limited("supervision_public", setting="BIANZHI_PUBLIC_PAGES_PER_MINUTE", template=LIMITED)
submission = rate_limited("supervision_complaints", setting="BIANZHI_PUBLIC_COMPLAINTS_PER_MINUTE", template=LIMITED)


def _submit(*, session, data: dict):
    captcha_check(session, data.pop("answer"))
    return service.complaint_receive(
        actor=None, received_on=timezone.localdate(), channel=Channel.ONLINE, online=True, **data
    )


@require_http_methods(["GET", "POST"])
@public_page
def complaint_new(request):
    if request.method == "POST":
        return _complaint_post(request)
    return _form_page(request, PublicComplaintForm())


def _form_page(request, form, status: int = 200):
    question = captcha_issue(request.session)
    return render(request, "supervision/public/complaint_new.html", {"form": form, "question": question}, status=status)


@submission
def _complaint_post(request):
    form = PublicComplaintForm(request.POST)
    complaint = None
    if form.is_valid():
        complaint = call_service(form, _submit, session=request.session, data=dict(form.cleaned_data))
    else:
        request.session.pop("supervision_captcha", None)  # one answer per question, right or wrong
    if complaint is not None:
        return render(request, "supervision/public/complaint_done.html", {"complaint": complaint})
    form.data = form.data.copy()
    form.data["answer"] = ""  # a new question is asked
    return _form_page(request, form, status=400)


@require_http_methods(["GET", "POST"])
@public_page
def complaint_track(request):
    form = TrackForm(request.POST or None)
    complaint, searched = None, False
    if request.method == "POST" and form.is_valid():
        searched = True
        complaint = selectors.complaint_track(form.cleaned_data["code"])
    context = {
        "form": form,
        "searched": searched,
        "complaint": complaint,
        "reply": selectors.public_reply(complaint) if complaint else "",
    }
    return render(request, "supervision/public/complaint_track.html", context)

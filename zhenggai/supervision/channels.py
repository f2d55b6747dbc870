"""How a message leaves the system: e-mail, or a group robot of 企业微信 (WeCom) or 钉钉 (DingTalk).

Each channel is one function taking a `Notification` and returning None when the message was
accepted, or an English error to log (the office reads it in Chinese, `Notification.error_zh`).
The robot formats follow the platforms' documents: WeCom's group robot takes
`{"msgtype": "text", "text": {"content", "mentioned_mobile_list"}}` (content at most 2,048
bytes) and answers `{"errcode": 0}`; DingTalk's custom robot takes `{"msgtype": "text", "text":
{"content"}, "at": {"atMobiles", "isAtAll"}}` (a mobile is highlighted where "@mobile" appears
in the content), signs the request with `timestamp` and `sign` (HMAC-SHA256 of
"timestamp\\nsecret", Base64, URL-encoded) when the robot has a secret, and answers
`{"errcode": 0}` too.

Robots are reached only at the hosts of ZHENGGAI_ROBOT_HOSTS, over HTTPS, without following
redirects: a robot's address is typed by an administrator, and must not become a way to reach
other services from the server.
"""

import base64
import hashlib
import hmac
import http.client
import json
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage

from zhenggai.supervision.models import Notification, check_robot_url

WECOM_MAX_BYTES = 2048
DINGTALK_MAX_BYTES = 18000
# Errors after which sending again would not help, or might repeat a message already received.
NOT_TO_RETRY = ("robot timed out", "robot removed", "robot address not allowed", "sending failed")


def fit(text: str, limit: int) -> str:
    """`text` cut at a line so its UTF-8 fits in `limit` bytes, saying that more is online."""
    if len(text.encode()) <= limit:
        return text
    tail = f"\n……内容较多，完整清单请登录系统查看：{settings.SITE_URL}/my/"
    budget = limit - len(tail.encode())
    kept, used = [], 0
    for line in text.split("\n"):
        size = len(line.encode()) + 1
        if used + size > budget:
            break
        kept.append(line)
        used += size
    return "\n".join(kept) + tail


def _mobiles(notification: Notification) -> list[str]:
    return [i["mobile"] for i in notification.items if i.get("mobile")]


def wecom_payload(notification: Notification) -> dict:
    text = {"content": fit(notification.body, WECOM_MAX_BYTES)}
    if mobiles := _mobiles(notification):
        text["mentioned_mobile_list"] = mobiles
    return {"msgtype": "text", "text": text}


def dingtalk_payload(notification: Notification) -> dict:
    return {
        "msgtype": "text",
        "text": {"content": fit(notification.body, DINGTALK_MAX_BYTES)},
        "at": {"atMobiles": _mobiles(notification), "isAtAll": False},
    }


def dingtalk_signed_url(url: str, secret: str, timestamp_ms: int | None = None) -> str:
    """The robot's URL with DingTalk's `timestamp` and `sign` parameters added."""
    timestamp_ms = timestamp_ms if timestamp_ms is not None else int(time.time() * 1000)
    to_sign = f"{timestamp_ms}\n{secret}".encode()
    digest = hmac.new(secret.encode(), to_sign, hashlib.sha256).digest()
    sign = urllib.parse.quote_plus(base64.b64encode(digest))
    joiner = "&" if "?" in url else "?"
    return f"{url}{joiner}timestamp={timestamp_ms}&sign={sign}"


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None  # a redirect answers as the HTTP error it is


_opener = urllib.request.build_opener(_NoRedirects)


def post_json(url: str, payload: dict) -> str | None:
    """POST `payload`; None when the robot answered errcode 0, else what went wrong."""
    try:
        check_robot_url(url)
    except ValidationError:
        return f"robot address not allowed: {urllib.parse.urlsplit(url).hostname}"
    request = urllib.request.Request(
        url,
        data=json.dumps(payload, ensure_ascii=False).encode(),
        headers={"Content-Type": "application/json; charset=utf-8"},
        method="POST",
    )
    try:
        with _opener.open(request, timeout=settings.NOTIFY_TIMEOUT_SECONDS) as response:
            body = response.read(65536)
    except urllib.error.HTTPError as e:
        return f"HTTP {e.code} from robot"
    except TimeoutError:
        # The request may have arrived: sending again could post it twice.
        return "robot timed out after the request was sent"
    except (urllib.error.URLError, OSError, http.client.HTTPException) as e:
        return f"robot unreachable: {getattr(e, 'reason', e)}"
    try:
        answer = json.loads(body)
    except ValueError:
        return "robot answered with something other than JSON"
    if not isinstance(answer, dict) or answer.get("errcode") != 0:
        errmsg = answer.get("errmsg") if isinstance(answer, dict) else answer
        return f"robot refused the message: {str(errmsg)[:200]}"
    return None


def send_wecom(notification: Notification) -> str | None:
    return post_json(notification.channel.url, wecom_payload(notification))


def send_dingtalk(notification: Notification) -> str | None:
    channel = notification.channel
    url = dingtalk_signed_url(channel.url, channel.secret) if channel.secret else channel.url
    return post_json(url, dingtalk_payload(notification))


def send_email(notification: Notification) -> str | None:
    message = EmailMessage(notification.subject, notification.body, to=[notification.address])
    try:
        message.send()
    except OSError as e:  # smtplib's errors are OSErrors
        return f"mail not accepted: {type(e).__name__}: {e}"[:300]
    return None


SENDERS: dict[str, Callable[[Notification], str | None]] = {
    Notification.Kind.EMAIL: send_email,
    Notification.Kind.WECOM: send_wecom,
    Notification.Kind.DINGTALK: send_dingtalk,
}


def send(notification: Notification) -> str | None:
    """Send one notification; whatever goes wrong becomes its error, never an exception that
    would stop the other sends."""
    if notification.kind != Notification.Kind.EMAIL and (
        notification.channel is None or not notification.channel.active
    ):
        return "robot removed or switched off"
    try:
        return SENDERS[notification.kind](notification)
    except Exception as e:  # noqa: BLE001 - one bad message must not stop the run
        return f"sending failed: {type(e).__name__}: {e}"[:300]

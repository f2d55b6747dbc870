"""How a digest leaves the system: e-mail, or a group robot of 企业微信 (WeCom) or 钉钉 (DingTalk).

Each channel is one function taking a `Notification` and returning None when the message was
accepted, or an English error to log and retry on. The robot formats follow the platforms'
documents: WeCom's group robot takes `{"msgtype": "text", "text": {"content",
"mentioned_mobile_list"}}` (content at most 2,048 bytes) and answers `{"errcode": 0}`; DingTalk's
custom robot takes `{"msgtype": "text", "text": {"content"}, "at": {"atMobiles"}}` with the
mobile also written as "@mobile" in the content, signs the request with `timestamp` and `sign`
(HMAC-SHA256 of "timestamp\\nsecret", Base64, URL-encoded) when the robot has a secret, and
answers `{"errcode": 0}` too.
"""

import base64
import hashlib
import hmac
import json
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable

from django.conf import settings
from django.core.mail import EmailMessage

from zhenggai.supervision.models import Channel, Notification, Preference

WECOM_MAX_BYTES = 2048
DINGTALK_MAX_BYTES = 18000


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


def _mobile(notification: Notification) -> str:
    preference = Preference.objects.filter(user_id=notification.recipient_id).first()
    return preference.mobile if preference else ""


def wecom_payload(notification: Notification, mobile: str = "") -> dict:
    text = {"content": fit(notification.body, WECOM_MAX_BYTES)}
    if mobile:
        text["mentioned_mobile_list"] = [mobile]
    return {"msgtype": "text", "text": text}


def dingtalk_payload(notification: Notification, mobile: str = "") -> dict:
    content = notification.body + (f"\n@{mobile}" if mobile else "")
    return {
        "msgtype": "text",
        "text": {"content": fit(content, DINGTALK_MAX_BYTES)},
        "at": {"atMobiles": [mobile] if mobile else [], "isAtAll": False},
    }


def dingtalk_signed_url(url: str, secret: str, timestamp_ms: int | None = None) -> str:
    """The robot's URL with DingTalk's `timestamp` and `sign` parameters added."""
    timestamp_ms = timestamp_ms if timestamp_ms is not None else int(time.time() * 1000)
    to_sign = f"{timestamp_ms}\n{secret}".encode()
    digest = hmac.new(secret.encode(), to_sign, hashlib.sha256).digest()
    sign = urllib.parse.quote_plus(base64.b64encode(digest))
    joiner = "&" if "?" in url else "?"
    return f"{url}{joiner}timestamp={timestamp_ms}&sign={sign}"


def post_json(url: str, payload: dict) -> str | None:
    """POST `payload`; None when the robot answered errcode 0, else what went wrong."""
    request = urllib.request.Request(
        url,
        data=json.dumps(payload, ensure_ascii=False).encode(),
        headers={"Content-Type": "application/json; charset=utf-8"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=settings.NOTIFY_TIMEOUT_SECONDS) as response:  # noqa: S310 - http(s) only, checked on save
            body = response.read(65536)
    except urllib.error.HTTPError as e:
        return f"HTTP {e.code} from robot"
    except (urllib.error.URLError, TimeoutError, OSError) as e:
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
    return post_json(notification.channel.url, wecom_payload(notification, _mobile(notification)))


def send_dingtalk(notification: Notification) -> str | None:
    channel = notification.channel
    url = dingtalk_signed_url(channel.url, channel.secret) if channel.secret else channel.url
    return post_json(url, dingtalk_payload(notification, _mobile(notification)))


def send_email(notification: Notification) -> str | None:
    message = EmailMessage(notification.subject, notification.body, to=[notification.address])
    try:
        message.send()
    except (OSError, Exception) as e:  # SMTP errors derive from OSError; backends may raise others
        return f"mail not accepted: {type(e).__name__}: {e}"[:300]
    return None


SENDERS: dict[str, Callable[[Notification], str | None]] = {
    "email": send_email,
    Channel.Kind.WECOM: send_wecom,
    Channel.Kind.DINGTALK: send_dingtalk,
}


def send(notification: Notification) -> str | None:
    if notification.kind != "email" and (
        notification.channel is None or not notification.channel.active
    ):
        return "robot removed or switched off"
    return SENDERS[notification.kind](notification)

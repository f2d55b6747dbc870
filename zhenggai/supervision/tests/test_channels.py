"""Robot messages checked against the platforms' documented formats, on a local fake robot."""

import base64
import hashlib
import hmac
import json
import threading
import urllib.parse
from datetime import date, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.utils import timezone

from zhenggai.ledger import services
from zhenggai.supervision.channels import WECOM_MAX_BYTES, dingtalk_signed_url, fit
from zhenggai.supervision.models import Channel, Notification, Preference
from zhenggai.supervision.reminders import run_reminders, send_due

RUN = date(2026, 11, 23)
SECRET = "SECtest0123456789abcdef"


class FakeRobot:
    """A robot endpoint on loopback: records each request; answers as `reply` says."""

    def __init__(self):
        self.requests: list[dict] = []
        self.reply = {"errcode": 0, "errmsg": "ok"}
        self.status = 200
        robot = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers["Content-Length"])
                robot.requests.append(
                    {
                        "path": self.path,
                        "content_type": self.headers["Content-Type"],
                        "json": json.loads(self.rfile.read(length)),
                    }
                )
                body = json.dumps(robot.reply).encode()
                self.send_response(robot.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def robot(settings):
    settings.ROBOT_HOSTS = ["127.0.0.1"]
    settings.ROBOT_ALLOW_HTTP = True
    fake = FakeRobot()
    yield fake
    fake.close()


@pytest.fixture
def late_item(world):
    problem = world.problem("干部选拔任用不规范", deadline=date(2026, 11, 20), approve=True)
    measure = world.measure(problem)
    services.update_measure(
        measure, by=world.leader, base_version=measure.version, owner=world.staff
    )
    Preference.objects.create(user=world.staff, mobile="13800000000")
    return world


def test_wecom_robot_gets_a_text_message_mentioning_the_owner(late_item, robot):
    Channel.objects.create(
        unit=late_item.unit,
        kind=Channel.Kind.WECOM,
        name="整改工作群",
        url=f"{robot.url}/cgi-bin/webhook/send?key=abc",
    )
    run_reminders(RUN)
    [request] = robot.requests
    assert request["path"] == "/cgi-bin/webhook/send?key=abc"
    assert request["content_type"].startswith("application/json")
    payload = request["json"]
    assert payload["msgtype"] == "text"
    assert set(payload["text"]) == {"content", "mentioned_mobile_list"}
    assert payload["text"]["mentioned_mobile_list"] == ["13800000000"]
    # A group is told who has how much to do, not the titles of the unit's problems.
    assert "staff：已逾期1项" in payload["text"]["content"]
    assert "干部选拔任用不规范" not in payload["text"]["content"]
    assert len(payload["text"]["content"].encode()) <= WECOM_MAX_BYTES
    assert Notification.objects.get().status == Notification.Status.SENT


def test_dingtalk_robot_request_is_signed_and_mentions_the_owner(late_item, robot):
    Channel.objects.create(
        unit=late_item.unit,
        kind=Channel.Kind.DINGTALK,
        name="钉钉群",
        url=f"{robot.url}/robot/send?access_token=xyz",
        secret=SECRET,
    )
    run_reminders(RUN)
    [request] = robot.requests
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(request["path"]).query)
    assert query["access_token"] == ["xyz"]
    timestamp = query["timestamp"][0]
    expected = base64.b64encode(
        hmac.new(SECRET.encode(), f"{timestamp}\n{SECRET}".encode(), hashlib.sha256).digest()
    ).decode()
    assert query["sign"] == [expected]
    assert abs(int(timestamp) - timezone.now().timestamp() * 1000) < 60_000
    payload = request["json"]
    assert payload["msgtype"] == "text"
    assert payload["at"] == {"atMobiles": ["13800000000"], "isAtAll": False}
    assert "@13800000000 staff：已逾期1项" in payload["text"]["content"]


def test_dingtalk_sign_matches_the_documented_example_shape():
    url = dingtalk_signed_url("https://oapi.dingtalk.com/robot/send?access_token=t", "SECx", 1)
    digest = hmac.new(b"SECx", b"1\nSECx", hashlib.sha256).digest()
    sign = urllib.parse.quote_plus(base64.b64encode(digest))
    assert url == f"https://oapi.dingtalk.com/robot/send?access_token=t&timestamp=1&sign={sign}"


def test_a_refusing_robot_is_retried_with_backoff_then_marked_failed(late_item, robot, settings):
    settings.NOTIFY_MAX_ATTEMPTS = 3
    settings.NOTIFY_RETRY_MINUTES = 5
    robot.reply = {"errcode": 93000, "errmsg": "invalid webhook url"}
    Channel.objects.create(
        unit=late_item.unit, kind=Channel.Kind.WECOM, name="群", url=f"{robot.url}/send"
    )
    started = timezone.now()
    run_reminders(RUN)
    notification = Notification.objects.get()
    assert notification.status == Notification.Status.RETRYING
    assert "invalid webhook url" in notification.last_error
    assert timedelta(minutes=4) < notification.next_attempt_at - started < timedelta(minutes=6)

    send_due()  # not yet time
    assert len(robot.requests) == 1
    Notification.objects.update(next_attempt_at=timezone.now())
    send_due()
    notification.refresh_from_db()
    assert notification.attempts == 2
    assert (
        timedelta(minutes=9) < notification.next_attempt_at - timezone.now() < timedelta(minutes=11)
    )

    Notification.objects.update(next_attempt_at=timezone.now())
    send_due()
    notification.refresh_from_db()
    assert notification.status == Notification.Status.FAILED
    assert len(robot.requests) == 3


def test_an_unreachable_robot_is_recorded_not_raised(late_item, robot):
    Channel.objects.create(
        unit=late_item.unit, kind=Channel.Kind.WECOM, name="群", url=f"{robot.url}/send"
    )
    robot.close()
    run_reminders(RUN)
    notification = Notification.objects.get()
    assert notification.status == Notification.Status.RETRYING
    assert "unreachable" in notification.last_error
    assert notification.error_zh == "无法连接群机器人地址，请检查网络或地址"


def test_a_robot_answering_http_errors_is_retried(late_item, robot):
    robot.status = 502
    Channel.objects.create(
        unit=late_item.unit, kind=Channel.Kind.DINGTALK, name="群", url=f"{robot.url}/send"
    )
    run_reminders(RUN)
    assert "HTTP 502" in Notification.objects.get().last_error


def test_long_digests_are_cut_at_a_line_to_the_robots_limit():
    text = "\n".join(f"{n}. 问题{n}" * 10 for n in range(500))
    cut = fit(text, WECOM_MAX_BYTES)
    assert len(cut.encode()) <= WECOM_MAX_BYTES
    assert cut.endswith("/my/") and "完整清单请登录系统查看" in cut
    assert fit("短消息", WECOM_MAX_BYTES) == "短消息"


@pytest.mark.parametrize(
    "error, shown",
    [
        (
            "robot unreachable: [Errno 111] Connection refused",
            "无法连接群机器人地址，请检查网络或地址",
        ),
        ("HTTP 404 from robot", "群机器人地址无效或已失效"),
        ("HTTP 502 from robot", "群机器人服务暂时不可用"),
        (
            "robot refused the message: invalid webhook url",
            "群机器人拒收消息，请检查地址、密钥或发送频率",
        ),
        ("sending was interrupted; not sent again", "发送过程中断，为避免重复未再发送"),
    ],
)
def test_errors_are_shown_to_the_office_in_chinese(error, shown):
    assert Notification(last_error=error).error_zh == shown


def test_robot_addresses_outside_the_allowed_hosts_are_refused(settings):
    from django.core.exceptions import ValidationError

    from zhenggai.supervision.models import check_robot_url

    settings.ROBOT_HOSTS = ["qyapi.weixin.qq.com"]
    settings.ROBOT_ALLOW_HTTP = False
    check_robot_url("https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k")
    for url in (
        "http://qyapi.weixin.qq.com/x",
        "https://169.254.169.254/latest",
        "https://10.0.0.1/",
    ):
        with pytest.raises(ValidationError):
            check_robot_url(url)

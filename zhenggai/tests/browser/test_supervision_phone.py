"""督办事项 and 提醒记录 on a phone (390 px wide) with realistic data: long Chinese titles and
demands, long addresses, several rows. Nothing scrolls sideways but a table inside its own
frame, and no column is squeezed below four characters."""

import os
from datetime import date, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from zhenggai.ledger.models import DeadlineKind, Measure, Problem, State
from zhenggai.supervision.models import (
    Channel,
    Escalation,
    Notification,
    NotificationPart,
    ReminderRun,
)
from zhenggai.testing import make_world

pytestmark = pytest.mark.browser

PHONE = 390
TITLES = [
    "党组理论学习中心组学习制度执行不严格，学习内容与本单位实际结合不够紧密，以学促干成效不明显",
    "落实意识形态工作责任制不到位，对所属网站、新媒体平台内容审核把关不严",
    "专项资金管理使用不规范，部分项目资金拨付滞后、绩效目标设定不清晰、支出进度缓慢",
    "选人用人工作存在薄弱环节，干部档案专项审核发现的问题整改不彻底",
    "中央八项规定精神落实不够到位，公务接待和公务用车管理存在漏洞",
    "基层党组织建设有待加强，“三会一课”制度落实不规范，组织生活质量不高",
]
DEMAND = (
    "该问题整改已逾期，列入挂牌督办。请于期限内书面报告整改进展、逾期原因及下一步措施，"
    "并附相关制度文件、会议纪要和佐证材料，逾期未答复的将按程序约谈单位主要负责人。"
)


def seed(world):
    today = timezone.localdate()
    problems = []
    for n, title in enumerate(TITLES):
        problem = Problem.objects.create(
            round=world.round,
            unit=world.unit,
            number=str(n + 1),
            title=title,
            path=["政治建设方面"],
            area="政治建设方面",
            state=State.IN_PROGRESS,
        )
        Measure.objects.create(
            problem=problem,
            text="建立健全学习制度，逐项对照整改",
            lead_section=world.section,
            owner=world.staff,
            deadline_kind=DeadlineKind.DATE,
            deadline=today - timedelta(days=3),
        )
        problems.append(problem)
    for n, problem in enumerate(problems):
        Escalation.objects.create(
            problem=problem,
            level=n % 3 + 1,
            demand=DEMAND,
            due_on=today + timedelta(days=n - 2),
            status=[Escalation.Status.OPEN, Escalation.Status.ANSWERED][n % 2],
            issued_by=world.inspector,
            issued_as="inspection_office",
        )
    robots = [
        Channel.objects.create(
            unit=world.unit,
            kind=kind,
            name=name,
            url=f"https://{host}/robot/send?access_token=0123456789abcdef0123456789abcdef",
            active=active,
        )
        for kind, name, host, active in [
            ("wecom", "区科技局整改工作专班企业微信群", "qyapi.weixin.qq.com", True),
            ("dingtalk", "区科技局巡察整改钉钉工作群（领导班子成员）", "oapi.dingtalk.com", False),
        ]
    ]
    run = ReminderRun.objects.create(run_date=date(2026, 11, 23))
    world.staff.first_name = "欧阳建国"
    world.staff.email = "ouyang.jianguo.zhenggaiban@kejiju.district.example.gov.cn"
    world.staff.save()
    body = "\n".join(
        f"{n}. {t}（您是责任人）\n   http://127.0.0.1:8000/problems/{n}/"
        for n, t in enumerate(TITLES)
    )
    statuses = [
        (Notification.Status.SENT, ""),
        (Notification.Status.FAILED, "robot refused the message: invalid webhook url"),
        (Notification.Status.RETRYING, "mail not accepted: SMTPServerDisconnected"),
        (Notification.Status.UNKNOWN, "robot timed out after the request was sent"),
        (Notification.Status.SKIPPED, "no channel"),
    ]
    for n in range(10):
        status, error = statuses[n % len(statuses)]
        robot = robots[n % 2] if n % 3 == 0 else None
        row = Notification.objects.create(
            run=run,
            unit=world.unit,
            recipient=None if robot else world.staff,
            kind=robot.kind if robot else Notification.Kind.EMAIL,
            channel=robot,
            key=f"phone{n}",
            address=robot.name if robot else world.staff.email,
            subject=f"【整改督办】11月23日您有{n + 6}项整改事项需办理，其中{n + 1}项已逾期",
            body=body,
            status=status,
            last_error=error,
            attempts=n % 4,
            next_attempt_at=timezone.now() + timedelta(minutes=20),
            sent_at=timezone.now() if status == Notification.Status.SENT else None,
        )
        NotificationPart.objects.create(notification=row, unit=world.unit, items=6, text=body)


# Every cell of a table still laid out as a table (not stacked as cards) that is narrower than
# four characters of the page's font, unless its table sits in its own scrolling frame.
SQUEEZED = """() => {
  const em = parseFloat(getComputedStyle(document.body).fontSize);
  const framed = (el) => {
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      const s = getComputedStyle(p);
      if ((s.overflowX === 'auto' || s.overflowX === 'scroll') && p.clientWidth < p.scrollWidth)
        return true;
    }
    return false;
  };
  return [...document.querySelectorAll('main th, main td')]
    .filter((c) => c.offsetParent !== null && getComputedStyle(c).display === 'table-cell')
    .filter((c) => c.textContent.trim() && !framed(c))
    .filter((c) => c.getBoundingClientRect().width < 4 * em)
    .map((c) => c.textContent.trim().slice(0, 20) + ' ' + Math.round(c.getBoundingClientRect().width));
}"""
# Anything sticking out to the right of the viewport, outside a scrolling frame.
OVERFLOWING = """(width) => [...document.querySelectorAll('main *')]
  .filter((e) => e.getBoundingClientRect().right > width + 0.5)
  .filter((e) => {
    for (let p = e.parentElement; p; p = p.parentElement) {
      const s = getComputedStyle(p);
      if (s.overflowX === 'auto' || s.overflowX === 'scroll' || s.overflowX === 'hidden') return false;
    }
    return true;
  })
  .map((e) => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))"""


# How each table of the page is shown: stacked as cards, or as a table (with its narrowest cell).
TABLES = """() => [...document.querySelectorAll('main table')].map((t) =>
  getComputedStyle(t).display === 'table' ? 'table' : 'cards')"""


def check_phone_layout(page, name):
    if os.environ.get("ZHENGGAI_SCREENSHOTS"):
        page.screenshot(path=f"{os.environ['ZHENGGAI_SCREENSHOTS']}/{name}.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE
    assert page.evaluate(OVERFLOWING, PHONE) == []
    assert page.evaluate(SQUEEZED) == []
    # These pages' tables are stacked as cards on a phone.
    assert set(page.evaluate(TABLES)) == {"cards"}


def test_escalations_fit_a_phone(sign_in, live_server, transactional_db):
    world = make_world()
    seed(world)
    page = sign_in("inspector", width=PHONE)
    page.goto(f"{live_server.url}/escalations/")
    expect(page.locator("main")).to_contain_text(TITLES[0][:20])
    check_phone_layout(page, "escalations")


def test_notifications_fit_a_phone(sign_in, live_server, transactional_db):
    world = make_world()
    seed(world)
    page = sign_in("inspector", width=PHONE)
    page.goto(f"{live_server.url}/notifications/")
    expect(page.locator("main")).to_contain_text("区科技局整改工作专班企业微信群")
    check_phone_layout(page, "notifications")
    # A digest opened shows its long lines wrapped within the screen.
    page.locator("main details summary").first.click()
    check_phone_layout(page, "notifications-open")

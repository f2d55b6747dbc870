"""Units' Word templates, rendered within limits.

A unit uploads its own docxtpl template, and it runs at the upload's test render and again at
every download. Jinja's sandbox keeps a template away from Python's internals, but not from
burning the machine: two nested loops over `range(100000)` took 29 s, and `'x' * 10**8` a
gigabyte. So each render runs in a child process (forked from a clean fork server that has
already imported docxtpl, so a render costs milliseconds, not an interpreter start) with a CPU
limit, a memory limit and a wall-clock timeout, and the sandbox refuses products and powers that
would build huge values before they are built. Nothing here imports Django: the child needs
none of it.
"""

import multiprocessing
import resource
from io import BytesIO

from docxtpl import DocxTemplate
from jinja2 import TemplateError
from jinja2.sandbox import SandboxedEnvironment, SecurityError

CPU_SECONDS = 10
WALL_SECONDS = 20
# Address space the child may add to what the fork server already holds.
MEMORY_BYTES = 768 * 1024 * 1024
MAX_OUTPUT_BYTES = 50 * 1024 * 1024
# The longest string or list a template may build by `*`, and the largest power by `**`.
MAX_PRODUCT = 1_000_000
MAX_POWER_DIGITS = 100

BUSY = "服务器正在生成其他文书，请稍后再试。"
TOO_BIG = "模板生成的文档过大，超出了系统限制。请检查模板中的循环和运算。"
TOO_SLOW = "模板生成文档用时过长（可能有多重循环），已停止。请简化模板后重试。"
AT_LIMITS = "模板生成文档超出了系统的时间或内存限制（可能有多重循环或过大的运算），已停止。请简化模板后重试。"


class TemplateRefused(Exception):
    """A template that cannot be rendered: `message` in Chinese, `reason` in English."""

    def __init__(self, message: str, reason: str):
        super().__init__(reason)
        self.message = message
        self.reason = reason


class TooLarge(SecurityError):
    """A product or power the sandbox refuses to build."""


class LimitedSandbox(SandboxedEnvironment):
    """The sandbox, refusing `*` and `**` whose result would be huge."""

    intercepted_binops = frozenset(["*", "**"])

    def call_binop(self, context, operator, left, right):
        if operator == "*":
            for seq, times in ((left, right), (right, left)):
                if isinstance(seq, (str, list, tuple)) and isinstance(times, int):
                    if len(seq) * times > MAX_PRODUCT:
                        raise TooLarge(f"product of {len(seq)} × {times} is too large")
        if operator == "**" and isinstance(left, int) and isinstance(right, int):
            if right > 0 and abs(left) > 1 and right * len(str(abs(left))) > MAX_POWER_DIGITS:
                raise TooLarge(f"power {left} ** {right} is too large")
        return super().call_binop(context, operator, left, right)


def render_here(template: bytes, context: dict) -> bytes:
    """Fill the template in this process (the child calls this)."""
    try:
        document = DocxTemplate(BytesIO(template))
        document.render(context, jinja_env=LimitedSandbox(autoescape=True), autoescape=True)
        out = BytesIO()
        document.save(out)
    except TooLarge as exc:
        raise TemplateRefused(
            "模板中的运算会生成过大的内容，已拒绝。请删除模板中的乘方、字符串重复等运算。",
            f"template refused by the sandbox: {exc}",
        ) from None
    except TemplateError as exc:
        line = getattr(exc, "lineno", None)
        where = f"（第 {line} 行附近）" if line else ""
        raise TemplateRefused(
            f"模板中的标记有误{where}：{exc}。请检查 {{{{ … }}}} 与 {{%p … %}} 是否成对、完整。",
            f"template error: {exc}",
        ) from None
    except MemoryError:
        raise TemplateRefused(TOO_BIG, "the template ran out of its memory limit") from None
    except Exception as exc:  # a file Word would not open either
        raise TemplateRefused(
            "模板文件无法读取，请上传 Word（.docx）格式的模板。",
            f"unreadable template: {type(exc).__name__}: {exc}",
        ) from None
    data = out.getvalue()
    if len(data) > MAX_OUTPUT_BYTES:
        raise TemplateRefused(TOO_BIG, f"the rendered document has {len(data)} bytes")
    return data


def _child(conn, template: bytes, context: dict, cpu_seconds: int, memory_bytes: int) -> None:
    # The limits bind this process only; the fork server and the web process keep theirs.
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 1))
    used = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    limit = used + memory_bytes + 256 * 1024 * 1024  # the interpreter's own mappings too
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    try:
        conn.send(("ok", render_here(template, context)))
    except TemplateRefused as exc:
        conn.send(("refused", exc.message, exc.reason))
    finally:
        conn.close()


_context = None


def _processes():
    global _context
    if _context is None:
        _context = multiprocessing.get_context("forkserver")
        _context.set_forkserver_preload([__name__])
    return _context


def render(template: bytes, context: dict) -> bytes:
    """Fill the template in a child process within the limits, at most RENDER_CONCURRENCY at
    once on the machine; TemplateRefused otherwise."""
    from django.conf import settings  # not at the top: the fork server needs no Django

    from zhenggai.lib.slots import Busy, slot

    try:
        with slot("render", settings.RENDER_CONCURRENCY):
            return _render_in_child(template, context)
    except Busy:
        raise TemplateRefused(BUSY, "every template render slot is busy") from None


def _render_in_child(template: bytes, context: dict) -> bytes:
    processes = _processes()
    receiver, sender = processes.Pipe(duplex=False)
    limits = (CPU_SECONDS, MEMORY_BYTES)  # read here: the fork server has its own module
    child = processes.Process(target=_child, args=(sender, template, context, *limits), daemon=True)
    child.start()
    sender.close()
    try:
        if not receiver.poll(WALL_SECONDS):
            raise TemplateRefused(TOO_SLOW, f"template render exceeded {WALL_SECONDS} s")
        try:
            outcome = receiver.recv()
        except EOFError:  # killed by its CPU limit, or its memory ran out outside Python
            raise TemplateRefused(AT_LIMITS, "the template render died at its limits") from None
    finally:
        receiver.close()
        if child.is_alive():
            child.kill()
        child.join()
    if outcome[0] == "refused":
        raise TemplateRefused(outcome[1], outcome[2])
    return outcome[1]

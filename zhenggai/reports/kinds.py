"""The documents made from a round's ledger (the report, the notice), in one registry.

A kind of document is one entry: its code, its title, the sections it has, whether it has a
public version, the stem of its download names and its built-in Word template. The content, the
files, the downloads, the templates a unit uploads, the export command and the notice page read
it here, so a new kind (a 整改方案, a monthly 考核通报) is one more `DocumentKind` in `KINDS`.
`DocumentTemplate.kind` takes its choices from `choices()`, a callable: a new kind needs no
migration.

To add one: a DocumentKind below and its code in KINDS. It gets its downloads
(`<stem>.docx`, `<stem>.pdf`), a row on the notice page, a template to download, edit and
upload, and `zhenggai export <code>`. Its content is `content.build`'s (the parts every kind
shares, with the sections its flags turn on); a section no kind has yet is a new flag here and
a line in `content.build`. A kind whose content is of another shape (the 整改方案: tasks with
sections and deadlines, not what was done) names its own builder and sample instead
(`builder`, `sample`: dotted paths, read when used, since content modules import this one).

One limit: publishing stores one text per round (`Notice.published_content`), the notice's
public version; a second kind with a public version needs a place of its own to be published.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

from zhenggai.reports import plan_layout
from zhenggai.reports.docx_layout import build_template

# The versions of a document: the internal one lists every problem, the public one leaves out
# those not for disclosure, the published one is the public text as it was last published.
INTERNAL, PUBLIC, PUBLISHED = "internal", "public", "published"


@dataclass(frozen=True)
class DocumentKind:
    """What sets one kind of document apart; everything else the kinds share."""

    code: str  # in DocumentTemplate.kind and the template URLs: a slug, 10 characters at most
    title: str  # "整改情况报告": in file names, on the notice page and its template list
    genre: str  # the word that ends its title, "…关于…的报告"
    stem: str  # of its download names: "report" → report.docx, report.pdf
    announces: str  # how its opening ends; {what} is the round's kind ("巡察")
    note: str  # beside its internal version on the notice page; {body} is the inspecting body
    addressee: bool = False  # 主送机关 under the title
    supervision: bool = False  # the call for the public's supervision, and the contacts
    closing: str = ""  # the last line, "特此报告。"
    public: bool = False  # a public version too (and a published one)
    template: Callable[[], bytes] = build_template  # its built-in Word template
    # Its own content, "module.function" taking (notice, *, public) and returning the template's
    # context (raising reports.documents.DocumentError when there is nothing to print); "" is
    # content.build's. `sample` ("module.function", no arguments) is a context with every part
    # present, to try an uploaded template on; "" is the notice's.
    builder: str = ""
    sample: str = ""

    @property
    def versions(self) -> tuple[str, ...]:
        return (INTERNAL, PUBLIC, PUBLISHED) if self.public else (INTERNAL,)

    def download_name(self, version: str, *, pdf: bool) -> str:
        """The file's name in its download URL: "report.docx", "notice-public.pdf"."""
        qualifier = "" if version == INTERNAL else f"-{version}"
        return f"{self.stem}{qualifier}{'.pdf' if pdf else '.docx'}"


REPORT = DocumentKind(
    code="report",
    title="整改情况报告",
    genre="报告",
    stem="report",
    announces="现将{what}整改情况报告如下：",
    note="报送{body}",
    addressee=True,
    closing="特此报告。",
)
NOTICE = DocumentKind(
    code="notice",
    title="整改情况通报",
    genre="通报",
    stem="notice",
    announces="现将{what}整改情况予以公布。",
    note="内部版",
    supervision=True,
    public=True,
)
PLAN = DocumentKind(
    code="plan",
    title="整改方案",
    genre="整改方案",
    stem="plan",
    announces="",  # its opening is plan_content's
    note="按台账当前数据，方案审批前后均可生成",
    template=plan_layout.build_template,
    builder="zhenggai.reports.plan_content.build",
    sample="zhenggai.reports.plan_content.sample",
)
KINDS = {kind.code: kind for kind in (REPORT, NOTICE, PLAN)}


def get(code: str) -> DocumentKind:
    """The kind of `code`; KeyError for a code no kind has (callers check user input first)."""
    return KINDS[code]


def choices() -> list[tuple[str, str]]:
    """DocumentTemplate.kind's choices: read when used, so a new kind needs no migration."""
    return [(kind.code, kind.title) for kind in KINDS.values()]


class Download(NamedTuple):
    kind: str  # the kind's code
    version: str
    pdf: bool


# Every file the notice page offers, by its name in the URL.
DOWNLOADS = {
    kind.download_name(version, pdf=pdf): Download(kind.code, version, pdf)
    for kind in KINDS.values()
    for version in kind.versions
    for pdf in (False, True)
}

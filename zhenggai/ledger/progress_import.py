"""Progress by Excel: a round's progress sheet (`progress_sheet`) filled in by a section and
uploaded back, previewed change by change, then applied through the ledger's own services.

`start_progress_import` reads the upload, matches each row to an active measure of the round
by its key (a row it cannot match is reported with why, never guessed), and classifies every
changed cell by the rules the forms follow for this user (`rights`): applied at once, opened as
a change request (a deadline, once the plan is approved), or refused with the reason. A cell
the section left as downloaded is no change; one that someone else changed since the download
is refused rather than overwritten. `apply_progress_import` classifies again against the
values of the moment (a measure whose version moved since the preview is skipped) and applies
each row by `update_measure` and `report_progress`, which write the history, all in one
transaction, each problem touched refreshed once at the end (`schedule.deferred_refresh`).
`confirm_progress_import` applies it so in the request, or, past
settings.PROGRESS_IMPORT_INLINE_ROWS rows, leaves it to the worker (`progress_background`).
Nothing here closes out a problem.
"""

import logging
from collections.abc import Iterator

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from zhenggai.ledger import progress_sheet as sheet
from zhenggai.ledger.models import OPEN_STATES, Measure, Problem, ProgressReport
from zhenggai.ledger.models.progress_imports import ProgressImport
from zhenggai.ledger.schedule import deferred_refresh
from zhenggai.ledger.services.evidence import check_percent, report_progress
from zhenggai.ledger.services.measures import update_measure
from zhenggai.ledger.services.rights import (
    applies_directly,
    check_deadline,
    check_results,
    may_change_plan,
    may_report,
    require_open,
)
from zhenggai.lib.errors import NotAllowed, Refused
from zhenggai.lib.names import full_name
from zhenggai.lib.uploads import UploadRefused, check_upload
from zhenggai.orgs.access import scope_for
from zhenggai.orgs.models import Role
from zhenggai.rounds.models import InspectionRound

log = logging.getLogger(__name__)

# What becomes of one change.
APPLY, REQUEST, REFUSED = "apply", "request", "refused"
OUTCOMES = {APPLY: "直接生效", REQUEST: "提交领导审批", REFUSED: "不予导入"}
# What becomes of one row.
CHANGED, UNCHANGED, UNMATCHED, SKIPPED = "changed", "unchanged", "unmatched", "skipped"
OFFICE_ROLES = (Role.RECTIFICATION_OFFICE, Role.LEADER)
CHUNK = 900  # ids per look-up (SQLite's parameter limit on old builds)
LABELS = {
    "progress": "整改进展",
    "percent": "完成进度",
    "completed_on": "完成日期",
    "rules_made": "新建制度（项）",
    "rules_revised": "修订制度（项）",
    "funds_recovered": "挽回/追缴资金（万元）",
    "people_held_accountable": "问责人数",
    "deadline": "整改时限",
}
NEEDS_TEXT = "填报完成进度须同时填写本次整改进展（进度随进展一并报告）。"
TEXT_REFUSED = "本行整改进展未能导入，随之填报的完成进度也不予导入。"
CONTRADICTS = "填写了完成日期的措施按已完成计，完成进度应为100或不填。"
COUNTS_AS_DONE = "（措施按已完成计，完成进度100%）"
NEEDS_REASON = "方案已审定，调整整改时限须在“时限调整理由”中说明理由，报单位领导审批。"
NOT_A_SHEET = "只能导入从本系统下载的进度填报表（Excel .xlsx 文件）。"
WRONG_KIND = "只接受"  # how `check_upload` begins refusing a file of a kind it does not take
LEGACY = "这是 Excel 97-2003 表格（.xls），请另存为 .xlsx 后再导入。"
MOVED = "预览后该措施已被他人修改，本行未导入；请重新下载填报表核对后再导入。"


# -- who may -------------------------------------------------------------------------------


def sees_all_imports(user, round) -> bool:
    """The rectification office and the unit's leaders report on every measure of the round."""
    return scope_for(user).has_role(round.unit_id, *OFFICE_ROLES)


def _own_measures(user, round) -> QuerySet:
    """The round's active measures the user reports on as section staff or as 责任人."""
    sections = scope_for(user).section_ids(round.unit_id)
    carried = Measure.objects.filter(Measure.carried_by(sections)).values("pk")
    return Measure.objects.filter(problem__round=round, withdrawn=False).filter(
        Q(pk__in=carried) | Q(owner=user)
    )


def may_import_progress(user, round) -> bool:
    """Whoever may report on some measure of the round: the rectification office and leaders
    on all, section staff and owners on their own."""
    if sees_all_imports(user, round):
        return True
    # Only the unit's own people report (the overseeing side and the discipline group read,
    # and no query is spent on them).
    if round.unit_id not in scope_for(user).direct_unit_ids:
        return False
    return _own_measures(user, round).exists()


def progress_rounds(user) -> list:
    """The rounds the user reports progress on by sheet (as `may_import_progress`), those with
    an active measure of an open problem left: all of the units where they are the office or
    a leader, those with a measure their sections carry or they own in their own units; the
    latest first, in one query."""
    scope = scope_for(user)
    sections = set().union(*scope.sections.values()) if scope.sections else set()
    own = Q(owner=user) | Measure.carried_by(sections)
    measures = Measure.objects.filter(withdrawn=False, problem__state__in=OPEN_STATES).filter(
        Q(problem__round__unit_id__in=scope.units_with(*OFFICE_ROLES))
        | (own & Q(problem__round__unit_id__in=scope.direct_unit_ids))
    )
    return list(InspectionRound.objects.filter(pk__in=measures.values("problem__round_id")))


def get_progress_import_for_user(user, pk: int, *, rows: bool = True) -> ProgressImport:
    """An import of a round the user may import into: all of the round's for its office and
    leaders, one's own for section staff; 404 otherwise, as for a missing one. Without its
    `rows` (a sheet's worth of JSON) when they are not needed."""
    found = ProgressImport.objects.visible_to(user).select_related("round", "round__unit")
    imp = get_object_or_404(found if rows else found.defer("rows"), pk=pk)
    if sees_all_imports(user, imp.round):
        return imp
    if imp.created_by_id == user.pk and may_import_progress(user, imp.round):
        return imp
    raise Http404


def imports_of(user, round) -> QuerySet:
    imports = ProgressImport.objects.filter(round=round).select_related("created_by")
    if not sees_all_imports(user, round):
        imports = imports.filter(created_by=user)
    return imports.defer("rows")


# -- the sheet -----------------------------------------------------------------------------


def sheet_measures(user, round) -> Iterator[sheet.SheetMeasure]:
    """The rows of the user's sheet: every active measure of the round's open problems, or,
    for section staff, those their sections carry or they own; in the ledger's order."""
    measures = Measure.objects.filter(
        problem__round=round, withdrawn=False, problem__state__in=OPEN_STATES
    )
    if not sees_all_imports(user, round):
        measures = measures.filter(pk__in=_own_measures(user, round).values("pk"))
    rows = measures.order_by("problem__position", "problem_id", "position", "id").values_list(
        "pk",
        "problem__number",
        "problem__title",
        "text",
        "lead_section__name",
        "owner__first_name",
        "owner__last_name",
        "owner__username",
        "deadline_kind",
        "deadline",
        "percent",
        "completed_on",
        "rules_made",
        "rules_revised",
        "funds_recovered",
        "people_held_accountable",
    )
    for row in rows.iterator(chunk_size=2000):
        (pk, number, title, text, section, first, last, username, *rest) = row
        yield sheet.SheetMeasure(
            pk, number or "", title, text, section or "", full_name(first, last, username), *rest
        )


def sheet_name(round) -> str:
    return f"{round.title}_进度填报表_{timezone.localdate():%Y%m%d}.xlsx"


# -- the upload ----------------------------------------------------------------------------


def _read(upload, round) -> tuple[sheet.Sheet, str]:
    try:
        info = check_upload(upload, sheet.MAX_BYTES)
    except UploadRefused as exc:
        # Every refusal of a file's kind says which kinds are accepted (PDF, Word, …): here
        # only the sheet is, and that is what is said.
        message = NOT_A_SHEET if exc.message.startswith(WRONG_KIND) else exc.message
        raise Refused(f"“{upload.name}”：{message}", f"{upload.name}: {exc}") from None
    if info.content_type != sheet.XLSX:
        legacy = info.content_type == "application/vnd.ms-excel"
        message = LEGACY if legacy else NOT_A_SHEET
        raise Refused(f"“{upload.name}”：{message}", f"{upload.name}: {info.content_type}")
    upload.seek(0)
    try:
        read = sheet.read_sheet(upload)
    except sheet.Unreadable as exc:
        raise Refused(f"无法读取“{upload.name}”：{exc.message}", str(exc)) from None
    if read.round_id is not None and read.round_id != round.pk:
        raise Refused(
            f"“{upload.name}”是其他轮次的进度填报表，不能导入本轮次（{round.title}）。",
            f"sheet of round {read.round_id} uploaded into round {round.pk}",
        )
    if not read.rows:
        raise Refused(f"“{upload.name}”中没有填报的行。", "no rows")
    return read, info.sha256


def start_progress_import(round, upload, *, by) -> ProgressImport:
    """Read an uploaded sheet into a preview of every change it would make. A file that is
    not the round's progress sheet is refused, and nothing is kept."""
    if not may_import_progress(by, round):
        raise NotAllowed("您没有权限导入本轮次的整改进度。", f"{by} may not import into {round.pk}")
    read, digest = _read(upload, round)
    rows = _match(read.rows, round, by)
    imp = ProgressImport.objects.create(
        round=round,
        original_name=upload.name[:255],
        sha256=digest,
        rows=rows,
        outcome={"preview": counts(rows), "ignored_columns": read.ignored_columns[:20]},
        created_by=by,
    )
    log.info("progress import %s: %s rows read for round %s", imp.pk, len(rows), round.pk)
    return imp


def _measures(ids, *, locked: bool = False) -> dict[int, Measure]:
    """The measures of `ids` with their problems and sections, locked (in the order of their
    ids) when `locked`."""
    found = {}
    ids = sorted(set(ids))
    measures = Measure.objects.select_for_update(of=("self",)) if locked else Measure.objects
    for start in range(0, len(ids), CHUNK):
        chunk = (
            measures.filter(pk__in=ids[start : start + CHUNK])
            .select_related("problem", "problem__round")
            .prefetch_related("responsible_sections")
            .order_by("pk")
        )
        found.update((m.pk, m) for m in chunk)
    return found


def _latest_texts(ids) -> dict[int, str]:
    """Each measure's latest progress text: a row repeating it reports nothing new."""
    latest: dict[int, str] = {}
    ids = sorted(set(ids))
    for start in range(0, len(ids), CHUNK):
        reports = (
            ProgressReport.objects.filter(measure_id__in=ids[start : start + CHUNK])
            .order_by("measure_id", "-created_at", "-id")
            .values_list("measure_id", "text")
        )
        for measure_id, text in reports:
            latest.setdefault(measure_id, text)
    return latest


def _same_text(shown: str, text: str) -> bool:
    return "".join(shown.split()) == "".join(text[:32_000].split())


def _unmatched(row: sheet.SheetRow, measure: Measure | None, round, seen: dict) -> str:
    """Why a row is not matched to a measure of the round ("" when it is)."""
    if not row.key:
        return "缺少措施编号，无法对应到措施。"
    pk = sheet.key_id(row.key)
    if pk is None:
        return f"措施编号“{row.key[:20]}”无法识别。"
    if pk in seen:
        return f"与第 {seen[pk]} 行的措施编号重复，本行未导入。"
    if measure is None or measure.problem.round_id != round.pk:
        return f"本轮次没有编号为 {row.key} 的措施。"
    if measure.withdrawn:
        return "该措施已撤销。"
    if row.text and not _same_text(row.text, measure.text):
        return "表中的整改措施与系统中的不一致（下载后措施已修改），请重新下载填报表。"
    return ""


def _match(rows: list[sheet.SheetRow], round, by) -> list[dict]:
    ids = [sheet.key_id(row.key) for row in rows if sheet.key_id(row.key)]
    measures = _measures(ids)
    latest = _latest_texts(ids)
    seen: dict[int, int] = {}
    entries = []
    for row in rows:
        pk = sheet.key_id(row.key) if row.key else None
        measure = measures.get(pk)
        entry = {"line": row.line, "key": row.key[:40], "measure": None, "status": UNMATCHED}
        why = _unmatched(row, measure, round, seen)
        if why:
            entry["why"] = why
            entries.append(entry)
            continue
        seen[pk] = row.line
        entry.update(
            measure=pk,
            version=measure.version,
            number=measure.problem.number,
            title=measure.problem.title[:200],
            text=measure.text[:200],
            progress=row.progress,
            reason=row.reason,
            wanted=_wanted(row),
        )
        entry["changes"] = classify(entry, measure, by, latest.get(pk))
        entry["status"] = CHANGED if entry["changes"] else UNCHANGED
        entries.append(entry)
    return entries


def _wanted(row: sheet.SheetRow) -> dict:
    """Each editable cell the row fills, parsed: {field: {value, error, original}}; the
    original is the value as downloaded, parsed alike (absent when unknown)."""
    wanted = {}
    for name, raw in row.cells.items():
        value, error = (None, "") if raw == "" else sheet.parse_cell(name, raw)
        wanted[name] = {"value": value, "error": error}
        if row.original is not None and name in row.original:
            kept = row.original[name]
            original, bad = (None, "") if kept in ("", None) else sheet.parse_cell(name, kept)
            if not bad:
                wanted[name]["original"] = original
    return wanted


# -- the rules -----------------------------------------------------------------------------


def _current(measure: Measure, name: str):
    if name == "deadline":
        deadline = measure.deadline.isoformat() if measure.deadline else None
        return {"deadline_kind": measure.deadline_kind, "deadline": deadline}
    if name == "completed_on":
        return measure.completed_on.isoformat() if measure.completed_on else None
    if name == "funds_recovered":
        return sheet.money_text(measure.funds_recovered)
    return getattr(measure, name)


def shown(name: str, value) -> str:
    if value in (None, ""):
        return "—"
    if name == "deadline":
        return sheet.deadline_text(value["deadline_kind"], value["deadline"])
    if name == "percent":
        return f"{value}%"
    return str(value)


def _refusal(check) -> str:
    """The Chinese message of a rule check that refuses ("" when it passes)."""
    try:
        check()
    except Refused as exc:
        return exc.message
    return ""


def _result_rule(name, value, measure, by) -> tuple[str, str]:
    if not may_report(by, measure.problem, measure):
        return REFUSED, "您没有权限填报该措施的完成情况。"
    # As the measure form: an approved plan's dated measure without its date saves nothing.
    why = _refusal(lambda: check_deadline(measure, {}, measure.problem))
    why = why or _refusal(lambda: check_results({name: value}))
    return (REFUSED, why) if why else (APPLY, "")


def _deadline_rule(value, measure, by, reason: str) -> tuple[str, str]:
    problem = measure.problem
    if not may_change_plan(by, problem, measure):
        return REFUSED, "只能对本科室承担的措施提出调整申请。"
    why = _refusal(lambda: check_deadline(measure, value, problem))
    if why:
        return REFUSED, why
    if len(reason) > sheet.MAX_TEXT:
        return REFUSED, f"时限调整理由不能超过 {sheet.MAX_TEXT} 字。"
    if applies_directly(by, problem):
        return APPLY, ""
    return (REQUEST, "") if reason.strip() else (REFUSED, NEEDS_REASON)


def _percent_rule(value, measure, by, no_text: str) -> tuple[str, str]:
    if no_text:
        return REFUSED, no_text
    why = _refusal(lambda: check_percent(value, measure))
    if why:
        return REFUSED, why
    if not may_report(by, measure.problem, measure):
        return REFUSED, "您没有权限报告该问题的整改进展。"
    return APPLY, ""


def _progress_rule(text: str, measure, by) -> tuple[str, str]:
    if len(text) > sheet.MAX_TEXT:
        return REFUSED, f"整改进展不能超过 {sheet.MAX_TEXT} 字。"
    if not may_report(by, measure.problem, measure):
        return REFUSED, "您没有权限报告该问题的整改进展。"
    return APPLY, ""


def _edited(name: str, cell: dict, current) -> tuple[bool, str]:
    """Whether a filled cell asks for a change, and why it may not be made ("" if it may)."""
    if cell["error"]:
        return True, cell["error"]
    value = cell["value"]
    if "original" in cell and value == cell["original"]:
        return False, ""  # left as downloaded
    if value == current:
        return False, ""
    if "original" in cell and current != cell["original"]:
        return True, f"下载后该项已被他人修改（现为 {shown(name, current)}），本项未导入。"
    return True, ""


def classify(entry: dict, measure: Measure, by, latest: str | None) -> list[dict]:
    """Every change the row asks of `measure`, each {field, label, before, after, value,
    outcome, why}, by the forms' rules for `by` and the measure's values of the moment. The
    progress text itself stays in the row (`entry["progress"]`), not in its change."""
    closed = _refusal(lambda: require_open(measure.problem))
    text = entry.get("progress", "")
    reports = bool(text) and text != (latest or "")
    changes = []
    no_text = "" if reports else NEEDS_TEXT  # why a percent cannot be reported ("" if it can)
    if reports:
        outcome, why = (REFUSED, closed) if closed else _progress_rule(text, measure, by)
        changes.append(_change("progress", latest or None, text, None, outcome, why))
        no_text = TEXT_REFUSED if outcome == REFUSED else ""  # a percent goes with its text
    contradicts = _contradicts(entry["wanted"], measure)
    for name in sheet.EDITABLE:
        cell = entry["wanted"].get(name)
        if name == "progress" or cell is None:
            continue
        current = _current(measure, name)
        asked, why = _edited(name, cell, current)
        if not asked:
            continue
        if not why:
            why = closed or (CONTRADICTS if contradicts and name in _COMPLETION else "")
        if why:
            outcome = REFUSED
        elif name == "deadline":
            outcome, why = _deadline_rule(cell["value"], measure, by, entry.get("reason", ""))
        elif name == "percent":
            outcome, why = _percent_rule(cell["value"], measure, by, no_text)
        else:
            outcome, why = _result_rule(name, cell["value"], measure, by)
        changes.append(_change(name, current, cell["value"], cell["value"], outcome, why))
        if name == "completed_on" and cell["value"] and outcome == APPLY:
            changes[-1]["after"] += COUNTS_AS_DONE
    return changes


_COMPLETION = ("percent", "completed_on")


def _contradicts(wanted: dict, measure: Measure) -> bool:
    """Whether the row asks for a percent under 100 of a measure it leaves completed (a
    completion date counts as 100%, whatever percent is written beside it)."""
    percent = wanted.get("percent")
    if not percent or percent["error"] or not isinstance(percent["value"], int):
        return False
    if percent["value"] >= 100 or _edited("percent", percent, measure.percent) == (False, ""):
        return False
    done = wanted.get("completed_on")
    if done is None or done["error"]:
        return measure.completed_on is not None
    return bool(done["value"])


def _change(name, before, after, value, outcome, why) -> dict:
    shown_after = shown(name, after) if after is not None else "（无法识别）"
    if name == "progress":
        before, shown_after = (before or "—")[:300], after[:300]
    else:
        before = shown(name, before)
    return {
        "field": name,
        "label": LABELS[name],
        "before": before,
        "after": shown_after,
        "value": value,
        "outcome": outcome,
        "why": why,
    }


def counts(rows: list[dict]) -> dict:
    found = {"rows": len(rows), CHANGED: 0, UNCHANGED: 0, UNMATCHED: 0, SKIPPED: 0}
    found.update({APPLY: 0, REQUEST: 0, REFUSED: 0})
    for row in rows:
        found[row["status"]] += 1
        for change in row.get("changes", ()):
            found[change["outcome"]] += 1
    return found


# -- confirming ----------------------------------------------------------------------------


def _require_preview(imp: ProgressImport, by, status=ProgressImport.Status.PREVIEW):
    """The import, locked, while in `status` and its round open to `by`'s import."""
    locked = ProgressImport.objects.select_for_update().select_related("round").get(pk=imp.pk)
    if locked.status != status:
        being = locked.status == ProgressImport.Status.APPLYING
        state = "正在导入" if being else f"已{locked.get_status_display()}"
        raise Refused(
            f"该导入{state}，不能再操作。", f"progress import {locked.pk} is {locked.status}"
        )
    if not may_import_progress(by, locked.round):
        raise NotAllowed("您没有权限导入本轮次的整改进度。", f"{by} may not import")
    return locked


def _require_uploader(imp: ProgressImport, by) -> None:
    if imp.created_by_id != by.pk:
        raise NotAllowed("只有上传人可以确认导入。", f"{by} did not upload import {imp.pk}")


def rows_to_apply(imp: ProgressImport) -> int:
    """How many rows of the preview would change something."""
    return imp.outcome.get("preview", {}).get(CHANGED, 0)


def confirm_progress_import(imp: ProgressImport, *, by) -> ProgressImport:
    """Confirm an upload: applied at once when it changes at most
    settings.PROGRESS_IMPORT_INLINE_ROWS rows; a bigger one is marked APPLYING and left to the
    worker (`progress_background`), which applies it in the same way, as `by`."""
    if rows_to_apply(imp) <= settings.PROGRESS_IMPORT_INLINE_ROWS:
        return apply_progress_import(imp, by=by)
    from zhenggai.ledger.progress_background import queue_apply  # it imports this module

    return queue_apply(imp, by=by)


def queue_for_worker(imp: ProgressImport, *, by) -> ProgressImport:
    """Mark a preview APPLYING as confirmed by `by` (its uploader), with what the worker's
    task reads: who confirmed, when, and how many tasks have taken it."""
    imp = _require_preview(imp, by)
    _require_uploader(imp, by)
    outcome = {k: v for k, v in imp.outcome.items() if k != "failure"}
    imp.outcome = {**outcome, "applying": {"by": by.pk, "queued_at": timezone.now().isoformat()}}
    imp.status = ProgressImport.Status.APPLYING
    imp.save(update_fields=["outcome", "status"])
    return imp


def apply_progress_import(
    imp: ProgressImport, *, by, status=ProgressImport.Status.PREVIEW
) -> ProgressImport:
    """Apply what the preview showed, checked again now, in one transaction: any error and
    nothing is applied. Only the uploader confirms their upload. The worker applies one in
    `status` APPLYING, as the uploader who confirmed it."""
    with transaction.atomic():
        imp = _require_preview(imp, by, status)
        _require_uploader(imp, by)
        _apply_rows(imp, by)
    log.info("progress import %s applied by %s: %s", imp.pk, by, imp.outcome["applied"])
    return imp


def _apply_rows(imp: ProgressImport, by) -> None:
    """Each changed row classified again against its measure of the moment and applied through
    the services; every problem touched is refreshed once, at the end (`deferred_refresh`)."""
    rows = imp.rows
    ids = [row["measure"] for row in rows if row["status"] == CHANGED]
    measures = _measures_locked(ids)
    latest = _latest_texts(ids)
    note = f"由进度填报表“{imp.original_name}”导入"
    with deferred_refresh():
        for row in rows:
            if row["status"] != CHANGED:
                continue
            measure = measures.get(row["measure"])
            if measure is None or measure.version != row["version"] or measure.withdrawn:
                row.update(status=SKIPPED, why=MOVED)
                continue
            row["changes"] = classify(row, measure, by, latest.get(measure.pk))
            _apply_row(row, measure, by, note)
            if not row["changes"]:
                row["status"] = UNCHANGED
    imp.rows = rows
    outcome = {k: v for k, v in imp.outcome.items() if k not in ("failure", "applying")}
    imp.outcome = {**outcome, "applied": counts(rows)}
    imp.status = ProgressImport.Status.APPLIED
    imp.decided_at = timezone.now()
    imp.save(update_fields=["rows", "outcome", "status", "decided_at"])


def _measures_locked(ids) -> dict[int, Measure]:
    """The measures, locked, their problems locked first and each in the order of its id, as
    every service locks (a problem before its measures): no deadlock with a form's change."""
    ids = sorted(set(ids))
    problem_ids = set()
    for start in range(0, len(ids), CHUNK):
        chunk = Measure.objects.filter(pk__in=ids[start : start + CHUNK])
        problem_ids.update(chunk.values_list("problem_id", flat=True))
    problem_ids = sorted(problem_ids)
    for start in range(0, len(problem_ids), CHUNK):
        chunk = Problem.objects.select_for_update().filter(
            pk__in=problem_ids[start : start + CHUNK]
        )
        list(chunk.order_by("pk").values_list("pk", flat=True))
    return _measures(ids, locked=True)


def _apply_row(row: dict, measure: Measure, by, note: str) -> None:
    """One row's accepted changes, through the services that write the history."""
    accepted = {c["field"]: c for c in row["changes"] if c["outcome"] != REFUSED}
    results = {n: accepted[n]["value"] for n in sheet.RESULT_FIELDS if n in accepted}
    if results:
        update_measure(measure, by=by, base_version=measure.version, reason=note, **results)
    if "deadline" in accepted:
        deadline = {**accepted["deadline"]["value"], "deadline_workdays": None}
        deadline["deadline_from"] = None
        direct = accepted["deadline"]["outcome"] == APPLY
        reason = row.get("reason", "").strip()
        reason = f"{note}：{reason}" if direct and reason else (note if direct else reason)
        update_measure(measure, by=by, base_version=None, reason=reason, **deadline)
    if "progress" in accepted:
        percent = accepted["percent"]["value"] if "percent" in accepted else None
        report_progress(
            measure.problem,
            by=by,
            text=row["progress"],
            measure=measure,
            percent=percent,
        )


@transaction.atomic
def discard_progress_import(imp: ProgressImport, *, by) -> ProgressImport:
    """Give up an upload: nothing is applied; the record stays. The uploader, or the office."""
    imp = _require_preview(imp, by)
    if imp.created_by_id != by.pk and not sees_all_imports(by, imp.round):
        raise NotAllowed("只有上传人或整改办可以放弃导入。", f"{by} may not discard {imp.pk}")
    imp.status = ProgressImport.Status.DISCARDED
    imp.decided_at = timezone.now()
    imp.save(update_fields=["status", "decided_at"])
    return imp

"""Planning the directory import: a read workbook checked row by row against the directory as
it stands (one snapshot, four queries), into a plain-JSON plan (see `zhenggai.orgs.directory`)."""

import hashlib
import re
from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from zhenggai.lib.names import normalize_name
from zhenggai.orgs.directory_sheet import (
    KIND_LABELS,
    PEOPLE,
    ROLE_LABELS,
    ROLES,
    SECTIONS,
    UNITS,
    Workbook,
)
from zhenggai.orgs.models import Membership, Person, Role, Unit

PLAN_VERSION = 2  # 2: reactivations listed on their own
MAX_ERRORS = 1_000  # errors kept in a plan: more say nothing the first thousand do not
MOBILE = re.compile(r"^1[3-9]\d{9}$")
CREDIT_CODE = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$")
PERSON_FIELDS = {
    "username": "登录名",
    "name": "姓名",
    "employee_number": "工号",
    "mobile": "手机号",
    "email": "电子邮箱",
}
# Which kind of unit a role is held on: a section's staff on a section, every other role on a
# unit or an office (what the roles mean in orgs.access; nothing narrower, so that every
# directory the system holds exports and imports back unchanged).
_WHOLE_UNITS = {Unit.Kind.UNIT, Unit.Kind.OFFICE}
ROLE_KINDS = {role: _WHOLE_UNITS for role in Role.values} | {
    Role.SECTION_STAFF: {Unit.Kind.SECTION}
}
ROLE_NAMES = dict(Role.choices)
KIND_NAMES = {Unit.Kind.OFFICE: "巡察机构", Unit.Kind.UNIT: "被巡察单位", Unit.Kind.SECTION: "科室"}


# -- the directory as it stands ----------------------------------------------------------------


@dataclass
class Snapshot:
    """Everything a plan depends on, read in four queries, and its fingerprint."""

    units: dict[int, dict]
    users: dict[int, dict]
    memberships: list[tuple]
    fingerprint: str

    def unit_label(self, unit_id: int) -> str:
        """A unit as the sheet names it: "区科技局", a section "区科技局/办公室"."""
        unit = self.units[unit_id]
        if unit["kind"] == Unit.Kind.SECTION and unit["parent_id"] in self.units:
            return f"{self.units[unit['parent_id']]['name']}/{unit['name']}"
        return unit["name"]


def load_snapshot() -> Snapshot:
    units = {
        row[0]: dict(zip(("id", "name", "kind", "parent_id", "credit_code"), row, strict=True))
        for row in Unit.objects.order_by("id").values_list(
            "id", "name", "kind", "parent_id", "credit_code"
        )
    }
    fields = ("id", "username", "first_name", "email", "is_active", "is_superuser", "is_staff")
    users = {
        row[0]: {**dict(zip(fields, row, strict=True)), "employee_number": "", "mobile": ""}
        for row in get_user_model().objects.order_by("id").values_list(*fields)
    }
    for user_id, number, mobile in Person.objects.values_list(
        "user_id", "employee_number", "mobile"
    ):
        if user_id in users:
            users[user_id].update(employee_number=number, mobile=mobile)
    memberships = list(
        Membership.objects.order_by("id").values_list("id", "user_id", "unit_id", "role", "title")
    )
    digest = hashlib.sha256()
    for part in (units.values(), users.values(), memberships):
        for item in part:
            digest.update(repr(sorted(item.items()) if isinstance(item, dict) else item).encode())
            digest.update(b"\n")
    return Snapshot(units, users, memberships, digest.hexdigest())


# -- planning -----------------------------------------------------------------------------------


@dataclass
class _Node:
    """A unit the sheet names: an existing one (`id`), or one the sheet creates (`key`)."""

    id: int | None = None
    key: str = ""  # a new unit's path of names, "区委巡察办/区科技局"
    parent: "_Node | None" = None  # a new unit's parent

    @property
    def ref(self) -> str:
        return f"u:{self.id}" if self.id else f"n:{self.key}"


@dataclass
class Planner:
    """Checks a read workbook against a snapshot and builds the plan (see `plan_directory`)."""

    book: Workbook
    now: Snapshot
    errors: list[dict] = field(default_factory=list)
    plan: dict = field(default_factory=dict)

    def error(self, sheet: str, line: int, message: str) -> None:
        if len(self.errors) < MAX_ERRORS:
            self.errors.append({"sheet": sheet, "line": line, "message": message})

    # units ---------------------------------------------------------------------------------

    def run(self) -> dict:
        self.plan = {
            "version": PLAN_VERSION,
            "fingerprint": self.now.fingerprint,
            "units": {"create": [], "change": []},
            "sections": {"create": []},
            "people": {"create": [], "change": [], "reactivate": [], "deactivate": []},
            "roles": {"grant": [], "change": [], "revoke": []},
        }
        self._index_units()
        self._plan_units()
        self._plan_sections()
        self._plan_people()
        self._plan_roles()
        self._plan_departures()
        self.errors.sort(
            key=lambda e: ([UNITS, SECTIONS, PEOPLE, ROLES].index(e["sheet"]), e["line"])
        )
        self.plan["errors"] = self.errors
        self.plan["counts"] = counts(self.plan)
        return self.plan

    def _index_units(self) -> None:
        self.db_children: dict[tuple, int] = {}
        self.db_by_name: dict[str, list[int]] = defaultdict(list)
        for unit in self.now.units.values():
            self.db_children[(unit["parent_id"], unit["name"])] = unit["id"]
            if unit["kind"] != Unit.Kind.SECTION:
                self.db_by_name[unit["name"]].append(unit["id"])
        self.rows = []
        for row in self.book.rows[UNITS]:
            name, kind = row.get("name"), row.get("kind")
            ok = True
            if not name:
                self.error(UNITS, row.line, "缺少单位名称。")
                ok = False
            elif len(name) > 200 or "/" in name:
                self.error(UNITS, row.line, f"单位名称“{name[:50]}”过长或含有“/”。")
                ok = False
            if kind not in KIND_LABELS:
                self.error(
                    UNITS,
                    row.line,
                    f"类型“{kind}”无法识别，应为“巡察机构/评价机构”或“被巡察单位”。"
                    if kind
                    else "缺少单位类型。",
                )
                ok = False
            code = row.get("credit_code").upper()
            if code and not CREDIT_CODE.match(code):
                self.error(UNITS, row.line, f"统一社会信用代码“{code[:30]}”格式不正确（18 位）。")
                ok = False
            if ok:
                self.rows.append((row, name, KIND_LABELS[kind], code))
        self.sheet_by_name: dict[str, list[int]] = defaultdict(list)
        for index, (_, name, _, _) in enumerate(self.rows):
            self.sheet_by_name[name].append(index)
        self.parents: dict[int, _Node | None] = {}
        self.nodes: dict[int, _Node | None] = {}
        self.resolving: set[int] = set()

    def _node_of_row(self, index: int) -> _Node | None:
        """The unit row `index` is (existing or new), or None when its parent cannot be told."""
        if index in self.nodes:
            return self.nodes[index]
        if index in self.resolving:
            self.nodes[index] = None
            row = self.rows[index][0]
            self.error(UNITS, row.line, f"上级单位形成循环：“{self.rows[index][1]}”是自己的上级。")
            return None
        self.resolving.add(index)
        row, name, _, _ = self.rows[index]
        parent_text = row.get("parent")
        parent = None
        if parent_text:
            parent = self._resolve(parent_text, UNITS, row.line, "上级单位")
        node = None
        if not parent_text or parent is not None:
            self.parents[index] = parent
            if parent is None or parent.id:
                existing = self.db_children.get((parent.id if parent else None, name))
                node = _Node(id=existing) if existing else None
            if node is None:
                prefix = f"{self._path_of(parent)}/" if parent else ""
                node = _Node(key=f"{prefix}{name}", parent=parent)
        self.resolving.discard(index)
        self.nodes[index] = node
        return node

    def _path_of(self, node: _Node) -> str:
        """A unit's names from the top, "市委巡察办/区委巡察办"."""
        if not node.id:
            return node.key
        names, unit_id = [], node.id
        while unit_id is not None and unit_id in self.now.units and len(names) < 50:
            names.append(self.now.units[unit_id]["name"])
            unit_id = self.now.units[unit_id]["parent_id"]
        return "/".join(reversed(names))

    def _ancestors_match(self, node: _Node, names: list[str]) -> bool:
        """Whether the units above `node` are named `names` (nearest last)."""
        for wanted in reversed(names):
            if node.id:
                parent_id = self.now.units[node.id]["parent_id"]
                if parent_id is None or self.now.units[parent_id]["name"] != wanted:
                    return False
                node = _Node(id=parent_id)
            else:
                if node.parent is None or self._name_of(node.parent) != wanted:
                    return False
                node = node.parent
        return True

    def _name_of(self, node: _Node) -> str:
        return self.now.units[node.id]["name"] if node.id else node.key.rsplit("/", 1)[-1]

    def _resolve(self, text: str, sheet: str, line: int, what: str) -> _Node | None:
        """The unit (not section) named by `text`, a name or a path "市委巡察办/区委巡察办"."""
        parts = [part.strip() for part in text.split("/") if part.strip()]
        if not parts:
            self.error(sheet, line, f"{what}“{text}”无法识别。")
            return None
        found: dict[str, _Node] = {}
        for index in self.sheet_by_name.get(parts[-1], []):
            node = self._node_of_row(index)
            if node is not None:
                found[node.ref] = node
        for unit_id in self.db_by_name.get(parts[-1], []):
            found.setdefault(f"u:{unit_id}", _Node(id=unit_id))
        matches = [node for node in found.values() if self._ancestors_match(node, parts[:-1])]
        if len(matches) == 1:
            return matches[0]
        if matches:
            self.error(sheet, line, f"{what}“{text}”有重名，请写出路径，如“上级/{parts[-1]}”。")
        elif text != parts[-1] or not self._cycle_reported(parts[-1]):
            self.error(sheet, line, f"{what}“{text}”既不在“单位”表中，也不是系统中已有的单位。")
        return None

    def _cycle_reported(self, name: str) -> bool:
        return any(
            index in self.nodes and self.nodes[index] is None
            for index in self.sheet_by_name.get(name, [])
        )

    def _plan_units(self) -> None:
        """Units to create (parents first) and to change; the covered units."""
        self.covered: dict[str, _Node] = {}
        self.kind_of: dict[str, str] = {}
        seen: dict[str, int] = {}
        for index, (row, name, kind, code) in enumerate(self.rows):
            node = self._node_of_row(index)
            if node is None:
                continue
            if node.ref in seen:
                self.error(UNITS, row.line, f"单位“{name}”与第 {seen[node.ref]} 行重复。")
                continue
            seen[node.ref] = row.line
            self.covered[node.ref] = node
            self.kind_of[node.ref] = kind
            if node.id:
                self._unit_changes(row, node.id, kind, code)
            else:
                parent = self.parents.get(index)
                self.plan["units"]["create"].append(
                    {
                        "ref": node.ref,
                        "label": node.key,
                        "name": name,
                        "kind": kind,
                        "parent": parent.ref if parent else None,
                        "credit_code": code,
                    }
                )
        # Parents before children: a new unit's key is its path, so shorter paths first.
        self.plan["units"]["create"].sort(key=lambda u: u["label"].count("/"))

    def _unit_changes(self, row, unit_id: int, kind: str, code: str) -> None:
        unit = self.now.units[unit_id]
        if unit["kind"] != kind:
            self.error(
                UNITS,
                row.line,
                f"单位“{unit['name']}”在系统中是{KIND_NAMES[unit['kind']]}，类型不能通过通讯录修改。",
            )
        elif unit["credit_code"] != code and "credit_code" in self.book.present[UNITS]:
            self.plan["units"]["change"].append(
                {
                    "id": unit_id,
                    "label": self.now.unit_label(unit_id),
                    "changes": {"credit_code": [unit["credit_code"], code]},
                }
            )

    # sections ------------------------------------------------------------------------------

    def _plan_sections(self) -> None:
        self.sections: dict[tuple[str, str], str] = {}  # (unit ref, name) → section ref
        for (parent_id, name), unit_id in self.db_children.items():
            if self.now.units[unit_id]["kind"] == Unit.Kind.SECTION:
                self.sections[(f"u:{parent_id}", name)] = f"u:{unit_id}"
        seen: dict[tuple, int] = {}
        for row in self.book.rows[SECTIONS]:
            found = self._section_row(row)
            if found is None:
                continue
            unit, name = found
            unit_text = row.get("unit")
            key = (unit.ref, name)
            if key in seen:
                self.error(SECTIONS, row.line, f"科室“{unit_text}/{name}”与第 {seen[key]} 行重复。")
                continue
            seen[key] = row.line
            if key in self.sections:
                continue
            if unit.id and (unit.id, name) in self.db_children:
                self.error(
                    SECTIONS, row.line, f"“{unit_text}”下已有名为“{name}”的单位，科室不能与之同名。"
                )
                continue
            ref = f"s:{unit.ref}/{name}"
            self.sections[key] = ref
            label = f"{unit.key or self.now.unit_label(unit.id)}/{name}"
            self.plan["sections"]["create"].append(
                {"ref": ref, "unit": unit.ref, "name": name, "label": label}
            )

    def _section_row(self, row) -> tuple[_Node, str] | None:
        """(unit, name) of a section row, or None when it has errors (every one of them said)."""
        unit_text, name = row.get("unit"), row.get("name")
        bad_name = not name or len(name) > 200 or "/" in name
        if not name:
            self.error(SECTIONS, row.line, "缺少科室名称。")
        elif bad_name:
            self.error(SECTIONS, row.line, f"科室名称“{name[:50]}”过长或含有“/”。")
        if not unit_text:
            self.error(SECTIONS, row.line, "缺少所属单位。")
        unit = self._covered_unit(unit_text, SECTIONS, row.line, "所属单位") if unit_text else None
        return None if unit is None or bad_name else (unit, name)

    def _covered_unit(self, text: str, sheet: str, line: int, what: str) -> _Node | None:
        node = self._resolve(text, sheet, line, what)
        if node is not None and node.ref not in self.covered:
            self.error(sheet, line, f"{what}“{text}”不在“单位”表中：请把它列入“单位”表。")
            return None
        return node

    # people --------------------------------------------------------------------------------

    def _person_values(self, row) -> tuple[dict, list[str]]:
        """A person row's values as stored, and what is wrong with its cells (every problem,
        not the first). A field whose column the sheet lacks is left out (the import leaves
        it alone); a malformed field is left out too."""
        values, problems = {}, []
        for name, check in _PERSON_CHECKS.items():
            if name in self.book.present[PEOPLE]:
                value, problem = check(row.get(name))
                if problem:
                    problems.append(f"{problem}。")
                else:
                    values[name] = value
        return values, problems

    def _plan_people(self) -> None:
        by_login = {u["username"]: u["id"] for u in self.now.users.values()}
        by_number = {
            u["employee_number"]: u["id"] for u in self.now.users.values() if u["employee_number"]
        }
        self.people: dict[str, str] = {}  # the sheet's logins and numbers → person ref
        self.matched: set[int] = set()
        logins, numbers, taken = {}, {}, {}
        for row in self.book.rows[PEOPLE]:
            values, problems = self._person_values(row)
            login, number = values.get("username"), values.get("employee_number", "")
            problems += _repeats(row.line, login, number, logins, numbers)
            user_id = self._match_person(login, number, by_login, by_number, problems)
            if user_id and user_id in taken:
                problems.append(f"与第 {taken[user_id]} 行是系统中的同一人（按登录名或工号对应）。")
            for problem in problems:
                self.error(PEOPLE, row.line, problem)
            if problems:
                continue
            ref = self._person(values, user_id)
            if user_id:
                taken[user_id] = row.line
            self.people[f"login:{login}"] = ref
            if number:
                self.people[f"number:{number}"] = ref

    def _match_person(self, login, number, by_login, by_number, problems) -> int | None:
        """The existing user the row is, or None (a new one, or a conflict added to `problems`)."""
        login_id = by_login.get(login) if login else None
        number_id = by_number.get(number) if number else None
        if login_id and number_id and login_id != number_id:
            other = self.now.users[number_id]
            problems.append(
                f"登录名“{login}”属于系统中的一人，工号“{number}”却属于另一人"
                f"（{other['first_name'] or other['username']}，登录名 {other['username']}），无法对应。"
            )
            return None
        user_id = login_id or number_id
        if user_id and _is_admin(self.now.users[user_id]):
            what = f"登录名“{login}”" if login_id else f"工号“{number}”"
            problems.append(f"{what}属于系统管理员账号，通讯录不能修改管理员账号。")
            return None
        return user_id

    def _person(self, values: dict, user_id: int | None) -> str:
        if not user_id:
            self.plan["people"]["create"].append(
                {
                    "ref": f"n:{values['username']}",
                    "username": values["username"],
                    "name": values["name"],
                    "employee_number": values.get("employee_number", ""),
                    "mobile": values.get("mobile", ""),
                    "email": values.get("email", ""),
                }
            )
            return f"n:{values['username']}"
        self.matched.add(user_id)
        user = self.now.users[user_id]
        now = {**user, "name": user["first_name"]}
        changes = {name: [now[name], value] for name, value in values.items() if now[name] != value}
        if not user["is_active"]:
            self.plan["people"]["reactivate"].append({"id": user_id, "label": _person_label(user)})
        if changes:
            self.plan["people"]["change"].append(
                {"id": user_id, "label": _person_label(user), "changes": changes}
            )
        return f"p:{user_id}"

    # roles ---------------------------------------------------------------------------------

    def _where(self, text: str, line: int) -> tuple[str, str, str] | None:
        """(unit or section ref, its kind, its label) named by "区科技局" or "区科技局/办公室"."""
        parts = [part.strip() for part in text.split("/") if part.strip()]
        whole = self._quiet(lambda: self._resolve(text, ROLES, line, "单位"))
        if whole is not None and whole.ref in self.covered:
            return whole.ref, self.kind_of[whole.ref], text
        if len(parts) >= 2:
            unit = self._quiet(lambda: self._resolve("/".join(parts[:-1]), ROLES, line, "单位"))
            if unit is not None and unit.ref in self.covered:
                section = self.sections.get((unit.ref, parts[-1]))
                if section:
                    return section, Unit.Kind.SECTION, text
                self.error(
                    ROLES,
                    line,
                    f"“{'/'.join(parts[:-1])}”没有名为“{parts[-1]}”的科室（请在“科室”表中列出）。",
                )
                return None
        self.error(ROLES, line, f"单位或科室“{text}”不在“单位”表或“科室”表中。")
        return None

    def _quiet(self, resolve):
        """Resolve without keeping the errors it would report (the caller reports its own)."""
        kept = list(self.errors)
        try:
            return resolve()
        finally:
            self.errors[:] = kept

    def _role_row(self, row) -> tuple | None:
        """(person, unit, role, title, where) of a role row, or None when it has errors (every
        one of them said)."""
        before = len(self.errors)
        person = self._role_person(row)
        role_text = row.get("role")
        role = ROLE_LABELS.get(role_text)
        if role is None:
            self.error(
                ROLES,
                row.line,
                f"角色“{role_text}”无法识别，应为：{'、'.join(ROLE_LABELS)}。"
                if role_text
                else "缺少角色。",
            )
        where = self._where(row.get("where"), row.line) if row.get("where") else None
        if not row.get("where"):
            self.error(ROLES, row.line, "缺少单位或科室。")
        if role is not None and where is not None and where[1] not in ROLE_KINDS[role]:
            allowed = "、".join(KIND_NAMES[k] for k in ROLE_KINDS[role])
            self.error(
                ROLES,
                row.line,
                f"“{role_text}”只能在{allowed}上，“{where[2]}”是{KIND_NAMES[where[1]]}。",
            )
        title = row.get("title")
        if len(title) > 100:
            self.error(ROLES, row.line, "职务超过 100 个字。")
        if len(self.errors) > before or None in (person, role, where):
            return None
        return person, where[0], role, title, where[2]

    def _role_person(self, row) -> str | None:
        """The person ref a role row names by login and/or number (None, error said, if none)."""
        login, number = row.get("username"), row.get("employee_number")
        refs = {
            self.people.get(f"login:{login}") if login else None,
            self.people.get(f"number:{number}") if number else None,
        } - {None}
        if not login and not number:
            self.error(ROLES, row.line, "缺少登录名或工号。")
        elif len(refs) > 1:
            self.error(ROLES, row.line, f"登录名“{login}”和工号“{number}”在“人员”表中是两个人。")
        elif (
            not refs
            or (login and f"login:{login}" not in self.people)
            or (number and f"number:{number}" not in self.people)
        ):
            who = f"登录名“{login}”" if login else f"工号“{number}”"
            self.error(ROLES, row.line, f"“人员”表中没有{who}的人员（或该行有错误）。")
        else:
            return refs.pop()
        return None

    def _plan_roles(self) -> None:
        held = {
            (f"p:{user_id}", f"u:{unit_id}", role): (pk, title)
            for pk, user_id, unit_id, role, title in self.now.memberships
        }
        self.wanted: set[tuple] = set()
        seen: dict[tuple, int] = {}
        labels = {ref: label for ref, label in self._person_labels().items()}
        for row in self.book.rows[ROLES]:
            found = self._role_row(row)
            if found is None:
                continue
            person, unit, role, title, where = found
            key = (person, unit, role)
            if key in seen:
                self.error(
                    ROLES, row.line, f"与第 {seen[key]} 行重复（同一人在同一单位的同一角色）。"
                )
                continue
            seen[key] = row.line
            self.wanted.add(key)
            item = {
                "person": person,
                "unit": unit,
                "role": role,
                "title": title,
                "who": labels[person],
                "where": where,
                "role_label": ROLE_NAMES[role],
            }
            if key not in held:
                self.plan["roles"]["grant"].append(item)
            elif held[key][1] != title:
                self.plan["roles"]["change"].append(
                    {**item, "id": held[key][0], "changes": {"title": [held[key][1], title]}}
                )
        self.covered_ids = self._covered_ids()
        for (person, unit, role), (pk, _) in held.items():
            user_id = int(person[2:])
            if (
                user_id in self.matched
                and int(unit[2:]) in self.covered_ids
                and (person, unit, role) not in self.wanted
            ):
                self._revoke(pk, user_id, int(unit[2:]), role, labels[person])

    def _person_labels(self) -> dict[str, str]:
        labels = {
            f"p:{user_id}": _person_label(self.now.users[user_id]) for user_id in self.matched
        }
        for person in self.plan["people"]["create"]:
            labels[person["ref"]] = f"{person['name']}（{person['username']}）"
        return labels

    def _covered_ids(self) -> set[int]:
        ids = {node.id for node in self.covered.values() if node.id}
        ids |= {
            unit["id"]
            for unit in self.now.units.values()
            if unit["kind"] == Unit.Kind.SECTION and unit["parent_id"] in ids
        }
        return ids

    def _revoke(self, pk: int, user_id: int, unit_id: int, role: str, who: str) -> None:
        self.plan["roles"]["revoke"].append(
            {
                "id": pk,
                "person": f"p:{user_id}",
                "unit": f"u:{unit_id}",
                "role": role,
                "who": who,
                "where": self.now.unit_label(unit_id),
                "role_label": ROLE_NAMES[role],
            }
        )

    def _plan_departures(self) -> None:
        """Active accounts (not administrators) not in the sheet with a role on a covered unit:
        deactivated when every role they hold is on a covered unit (they left); otherwise
        they left these units only, and lose their roles on them."""
        held: dict[int, list[tuple]] = defaultdict(list)
        for pk, user_id, unit_id, role, _ in self.now.memberships:
            held[user_id].append((pk, unit_id, role))
        for user_id in sorted(held.keys() - self.matched):
            user = self.now.users[user_id]
            here = [item for item in held[user_id] if item[1] in self.covered_ids]
            if not here or not user["is_active"] or _is_admin(user):
                continue
            if len(here) == len(held[user_id]):
                self.plan["people"]["deactivate"].append(
                    {"id": user_id, "label": _person_label(user)}
                )
                continue
            for pk, unit_id, role in here:
                self._revoke(pk, user_id, unit_id, role, _person_label(user))


def _repeats(line: int, login, number, logins: dict, numbers: dict) -> list[str]:
    """A person row's login or number already on an earlier row (remembered when new)."""
    problems = []
    if login and login.casefold() in logins:
        problems.append(f"登录名“{login}”与第 {logins[login.casefold()]} 行重复。")
    elif login:
        logins[login.casefold()] = line
    if number and number in numbers:
        problems.append(f"工号“{number}”与第 {numbers[number]} 行重复（两人不能同一工号）。")
    elif number:
        numbers[number] = line
    return problems


def _check_name(text: str) -> tuple[str, str]:
    name = normalize_name(text)
    if not name:
        return name, "缺少姓名"
    return name, "姓名超过 150 个字" if len(name) > 150 else ""


def _check_username(text: str) -> tuple[str, str]:
    if not text:
        return text, "缺少登录名"
    try:
        get_user_model().username_validator(text)
    except ValidationError:
        return text, f"登录名“{text[:50]}”只能由字母、数字和 @ . + - _ 组成"
    return text, "登录名超过 150 个字符" if len(text) > 150 else ""


def _check_number(text: str) -> tuple[str, str]:
    return text, "工号超过 32 个字符" if len(text) > 32 else ""


def _check_mobile(text: str) -> tuple[str, str]:
    mobile = re.sub(r"[\s-]", "", text).removeprefix("+86")
    if mobile and not MOBILE.match(mobile):
        return mobile, f"手机号“{text[:30]}”格式不正确（应为 11 位手机号码）"
    return mobile, ""


def _check_email(text: str) -> tuple[str, str]:
    try:
        if text:
            validate_email(text)
    except ValidationError:
        return text, f"电子邮箱“{text[:60]}”格式不正确"
    return text, ""


_PERSON_CHECKS = {
    "name": _check_name,
    "username": _check_username,
    "employee_number": _check_number,
    "mobile": _check_mobile,
    "email": _check_email,
}


def _is_admin(user: dict) -> bool:
    """Whether an account is an administrator's, which the directory never changes."""
    return user["is_superuser"] or user["is_staff"]


def _person_label(user: dict) -> str:
    return f"{user['first_name'] or user['username']}（{user['username']}）"


def counts(plan: dict) -> dict:
    """How many of each change a plan makes, and whether it makes any."""
    found = {
        f"{part}_{action}": len(items)
        for part in ("units", "sections", "people", "roles")
        for action, items in plan.get(part, {}).items()
    }
    found["errors"] = len(plan.get("errors", []))
    found["total"] = sum(value for key, value in found.items() if key != "errors")
    return found


def plan_directory(book: Workbook) -> dict:
    """The plan of `book` against the directory as it stands (errors included)."""
    return Planner(book, load_snapshot()).run()

"""One data row of a table, its cells looked up by our field names, and its problems."""

from zhenggai.evaluations.platform import values
from zhenggai.evaluations.platform.model import RowProblem


class Row:
    def __init__(self, line: int, cells: list, positions: dict[str, int], problems: list):
        self.line = line
        self._cells = cells
        self._positions = positions
        self._problems = problems

    def cell(self, field: str):
        position = self._positions.get(field)
        if position is None or position >= len(self._cells):
            return None
        return self._cells[position]

    def text(self, field: str) -> str:
        return values.text(self.cell(field))

    def problem(self, message: str, *, fatal: bool = True) -> None:
        """Note a problem of this row, in Chinese, with its line ("第12行：…")."""
        self._problems.append(RowProblem(self.line, f"第{self.line}行：{message}", fatal))

"""The services' environment file, read the way systemd reads an EnvironmentFile= (systemd.exec),
never by a shell: whatever a value holds (`$`, `(`, `&`, `;`, quotes) is neither expanded nor run.

One KEY=VALUE a line; blank lines and lines starting with `#` or `;` are comments (a `#` after a
value is part of the value). Whitespace around the key and the value is dropped. A value may be
put in single quotes (kept verbatim, no escapes) or double quotes (where \\" \\\\ \\$ \\` are the
escapes); outside quotes a backslash keeps the next character (and at the end of a line joins the
next one). A line with a name that is not a variable's (`export KEY=...`) is ignored, as systemd
ignores it. Nothing is expanded: `$HOME` is those five characters.

`python -I -m zhenggai.lib.envfile ENV_FILE USER PROGRAM [ARG...]` is the second half of
deploy/zhenggai: it runs PROGRAM with the file's variables, in ZHENGGAI_DATA_DIR, as USER.
"""

import os
import pwd
import re
import shutil
import sys
from pathlib import Path

NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
WHITESPACE = " \t\n\r"
NEWLINE = "\n\r"
DOUBLE_QUOTE_ESCAPES = '"\\`$'


def parse(text: str) -> tuple[dict[str, str], list[tuple[int, str]]]:
    """The variables the text sets, and the lines systemd ignores (line number, the key)."""
    values: dict[str, str] = {}
    ignored: list[tuple[int, str]] = []
    i = 0
    while i < len(text):
        if text[i] in WHITESPACE:
            i += 1
        elif text[i] in "#;":
            i = _after_comment(text, i)
        else:
            line = text.count("\n", 0, i) + 1
            key, i, assigned = _key(text, i)
            value, i = _value(text, i) if assigned else ("", i)
            if assigned and NAME.match(key):
                values[key] = value
            else:
                ignored.append((line, key))
    return values, ignored


def _after_comment(text: str, i: int) -> int:
    while i < len(text):
        if text[i] == "\\":
            i += 2  # a comment ending in a backslash goes on in the next line
        elif text[i] in NEWLINE:
            return i + 1
        else:
            i += 1
    return i


def _key(text: str, i: int) -> tuple[str, int, bool]:
    start = i
    while i < len(text) and text[i] not in NEWLINE and text[i] != "=":
        i += 1
    assigned = i < len(text) and text[i] == "="
    return text[start:i].rstrip(WHITESPACE), i + 1, assigned


def _value(text: str, i: int) -> tuple[str, int]:
    """The value from `i` (just after the `=`) to its end; the position after it."""
    parts = []
    while i < len(text) and text[i] not in NEWLINE:
        if text[i] in " \t":
            i += 1
        elif text[i] == "'":
            end = text.find("'", i + 1)
            end = len(text) if end < 0 else end
            parts.append(text[i + 1 : end])
            i = end + 1
        elif text[i] == '"':
            part, i = _double_quoted(text, i + 1)
            parts.append(part)
        else:
            part, i = _unquoted(text, i)
            parts.append(part)
            return "".join(parts), i
    return "".join(parts), i + 1


def _double_quoted(text: str, i: int) -> tuple[str, int]:
    out = []
    while i < len(text) and text[i] != '"':
        if text[i] == "\\":
            following = text[i + 1 : i + 2]
            if following and following in DOUBLE_QUOTE_ESCAPES:
                out.append(following)
            elif following and following != "\n":  # backslash-newline: the line goes on
                out.append("\\" + following)
            i += 2
        else:
            out.append(text[i])
            i += 1
    return "".join(out), i + 1


def _unquoted(text: str, i: int) -> tuple[str, int]:
    """To the end of the line (quotes inside are kept), trailing whitespace dropped."""
    out: list[str] = []
    trailing = None  # where the trailing whitespace starts in `out`
    while i < len(text) and text[i] not in NEWLINE:
        if text[i] == "\\":
            following = text[i + 1 : i + 2]
            if following and following not in NEWLINE:
                out.append(following)
            trailing = None
            i += 2
            continue
        if text[i] in " \t":
            trailing = len(out) if trailing is None else trailing
        else:
            trailing = None
        out.append(text[i])
        i += 1
    return "".join(out[:trailing]), i


def main(argv: list[str]) -> None:
    env_file, user, program, *args = argv
    values, ignored = parse(Path(env_file).read_text(encoding="utf-8"))
    for line, key in ignored:
        print(
            f"zhenggai: {env_file}, line {line}: {key!r} is not a variable's name; ignored "
            "(as systemd ignores it)",
            file=sys.stderr,
        )
    env = {**os.environ, **values}
    directory = env.get("ZHENGGAI_DATA_DIR") or "/"
    try:
        os.chdir(directory)
    except OSError as error:
        sys.exit(f"zhenggai: cannot enter ZHENGGAI_DATA_DIR {directory} ({error.strerror})")
    if pwd.getpwuid(os.geteuid()).pw_name == user:
        os.execve(program, [program, *args], env)  # nosec B606: the installed command, no shell
    # The caller's PATH (sudo's secure_path), not one the file may set.
    runuser = shutil.which("runuser", path=os.environ.get("PATH")) or "/usr/sbin/runuser"
    os.execve(runuser, [runuser, "-u", user, "--", program, *args], env)  # nosec B606: no shell


if __name__ == "__main__":
    main(sys.argv[1:])

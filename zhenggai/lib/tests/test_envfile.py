"""The environment file is read the way systemd reads an EnvironmentFile= (systemd.exec): no
shell, nothing expanded or run; quotes, escapes, comments and continuation lines as systemd's."""

from zhenggai.lib.envfile import parse


def values(text: str) -> dict[str, str]:
    return parse(text)[0]


def test_a_secret_with_a_shells_special_characters_is_kept_verbatim():
    secret = "$HOME(x&y;z`id`$(id)|<>*'\"!"
    assert values(f"ZHENGGAI_SECRET_KEY={secret}\n") == {"ZHENGGAI_SECRET_KEY": secret}
    assert values("A='$HOME(x&y;z'\n") == {"A": "$HOME(x&y;z"}
    assert values('A="$HOME(x&y;z"\n') == {"A": "$HOME(x&y;z"}


def test_comments_blank_lines_and_whitespace():
    text = "# a comment\n; another\n\n  A = one two  \nB=a # not a comment\n\tC=\nD\n"
    assert parse(text) == ({"A": "one two", "B": "a # not a comment", "C": ""}, [(7, "D")])


def test_single_quotes_keep_everything_and_double_quotes_know_four_escapes():
    assert values("A='a\\b \"c\" $d'\n") == {"A": 'a\\b "c" $d'}
    assert values('A="a\\"b\\\\c\\$d\\`e\\nf"\n') == {"A": 'a"b\\c$d`e\\nf'}
    assert values("A='  spaced  '\n") == {"A": "  spaced  "}
    assert values("A='one\ntwo'\nB=3\n") == {"A": "one\ntwo", "B": "3"}
    assert values("A='a' \"b\"\n") == {"A": "ab"}  # as systemd: the quoted parts joined
    assert values("A=a'b'\n") == {"A": "a'b'"}  # quotes inside an unquoted value are kept


def test_backslashes_outside_quotes_and_continued_lines():
    assert values("A=a\\ \\#b\\\\\n") == {"A": "a #b\\"}
    assert values("A=one\\\ntwo\nB=2\n") == {"A": "onetwo", "B": "2"}
    assert values("# a comment \\\nA=1\nB=2\n") == {"B": "2"}  # the comment goes on


def test_names_systemd_ignores_and_the_last_assignment_wins():
    text = "export A=1\nA B=2\n1A=3\nC=1\nC=2\nno value at all"
    assert parse(text) == (
        {"C": "2"},
        [(1, "export A"), (2, "A B"), (3, "1A"), (6, "no value at all")],
    )


def test_no_newline_at_the_end_and_windows_line_ends():
    assert values("A=1") == {"A": "1"}
    assert values("A=1\r\nB='x'\r\n") == {"A": "1", "B": "x"}

"""The demo of `make run`: five real published documents loaded as rounds of five units, demo
users (one per role) and a spread of states and deadlines, some overdue.

Until the document importer lands, problems come from the hand-counted outline in
`seeds/expected.json` and their measures from the text that follows each problem's heading in
the seed document itself.
"""

"""The top layer: pages that combine several apps (the problem page, 我的任务, a round's page).

The apps below stay one-way (`lib` → `orgs` → `ledger`+`rounds` → `supervision`, `reports`,
`public`); a page that shows what several of them hold is built here, from each app's own part.
Only `urls.py` and the demo sit above this package.
"""

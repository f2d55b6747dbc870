"""Gunicorn's settings for the zhenggai-web service (deploy/systemd/zhenggai-web.service).

Requests come only from nginx on this machine (deploy/nginx/zhenggai.conf), which buffers
uploads, so synchronous workers are enough. WEB_CONCURRENCY sets the number of workers.
"""

import multiprocessing
import os

bind = "127.0.0.1:8000"
workers = int(os.environ.get("WEB_CONCURRENCY") or min(2 * multiprocessing.cpu_count() + 1, 8))
# A PDF of a paper may take ZHENGGAI_SOFFICE_TIMEOUT (60 s) and an Excel ledger of 100,000
# problems about as long: a worker is given twice that before it is killed.
timeout = 120
graceful_timeout = 30
# A worker is replaced after this many requests, so that memory cannot creep up for ever.
max_requests = 1000
max_requests_jitter = 100
# Logs go to standard error, which systemd's journal keeps (journalctl -u zhenggai-web); the
# client's address is the one nginx forwards.
accesslog = "-"
errorlog = "-"
access_log_format = '%({x-forwarded-for}i)s "%(r)s" %(s)s %(b)s %(M)sms "%(a)s"'

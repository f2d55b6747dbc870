import logging
import signal
import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections
from django.utils.crypto import get_random_string
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, DEFAULT_TASK_QUEUE_NAME
from django_tasks_db.management.commands.db_worker import Worker

from zhenggai.supervision import heartbeat
from zhenggai.supervision.schedule import queue_due_tasks

log = logging.getLogger("zhenggai.supervision")


class Command(BaseCommand):
    help = (
        "Run the background worker: queue the daily reminder run at ZHENGGAI_REMINDER_TIME and "
        "the retries of failed notifications, and run every queued task. Safe to run twice."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--interval", type=float, default=30, help="seconds between checks (default 30)"
        )
        parser.add_argument("--once", action="store_true", help="check and run once, then stop")

    def handle(self, *args, interval: float, once: bool, **options):
        self.running = True
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, self._stop)
        worker_id = get_random_string(32)
        self.stdout.write(f"zhenggai worker {worker_id[:8]} started; checks every {interval:g} s")
        while self.running:
            close_old_connections()
            # Before and after the tasks, so that `zhenggai doctor` sees a long one began.
            heartbeat.beat(worker_id, interval)
            queue_due_tasks()
            Worker(
                queue_names=[DEFAULT_TASK_QUEUE_NAME],
                interval=0,
                batch=True,
                backend_name=DEFAULT_TASK_BACKEND_ALIAS,
                startup_delay=False,
                max_tasks=None,
                worker_id=worker_id,
                excluded_queue_names=[],
            ).run()
            heartbeat.beat(worker_id, interval)
            if once:
                break
            self._sleep(interval)
        self.stdout.write("zhenggai worker stopped")

    def _stop(self, signum, frame):
        log.info("worker stopping after the current task (signal %s)", signum)
        self.running = False

    def _sleep(self, seconds: float) -> None:
        end = time.monotonic() + seconds
        while self.running and time.monotonic() < end:
            time.sleep(min(1.0, end - time.monotonic()))

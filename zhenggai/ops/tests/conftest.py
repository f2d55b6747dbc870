# The loopback S3 store (moto) for the doctor's storage check.
from zhenggai.lib.tests.s3server import s3, s3_server  # noqa: F401

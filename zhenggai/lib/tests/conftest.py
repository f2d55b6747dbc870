from zhenggai.lib.tests.s3server import s3, s3_server  # noqa: F401 - the loopback S3 store

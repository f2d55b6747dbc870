"""Running an installation: backup and restore, the scheduled backup, `zhenggai doctor`."""

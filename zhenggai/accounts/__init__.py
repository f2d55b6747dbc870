"""Signing in: single sign-on (OIDC, LDAP/Active Directory), two-factor sign-in (TOTP with
recovery codes) for the roles that sign and publish, and password sign-in turned off by setting."""

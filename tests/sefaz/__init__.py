"""Tests of portal.sefaz, and the reusable fake Sefaz (soap_server, pki, fixtures)."""

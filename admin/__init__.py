"""Back-office views (the `clientela_admin` blueprint): thin routes over portal's domains."""

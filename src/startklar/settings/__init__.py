"""Settings: ``base`` (shared), ``local`` (demo, development), ``production``, ``test``."""

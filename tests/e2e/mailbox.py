"""File email backend whose folder comes from the AGORA_TEST_MAIL_DIR environment variable.

Django's file backend reads settings.EMAIL_FILE_PATH, which the project's settings do not take
from the environment; the test server selects this backend with EMAIL_BACKEND instead.
"""

from __future__ import annotations

import os

from django.core.mail.backends.filebased import EmailBackend as FileEmailBackend


class EmailBackend(FileEmailBackend):
    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("file_path", os.environ["AGORA_TEST_MAIL_DIR"])
        super().__init__(*args, **kwargs)

# Django's own Russian formats hold; this module adds what the portal reads of every language (core/languages.py).
LANGUAGE_NAME = "Русский"
LANGUAGE_TAG = "ru-RU"

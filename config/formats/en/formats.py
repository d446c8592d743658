# Django's own English formats hold; this module adds what the portal reads of every language (core/languages.py).
# British English, as the texts are written ("organisation").
LANGUAGE_NAME = "English"
LANGUAGE_TAG = "en-GB"

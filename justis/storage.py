"""Where private files live (certificates, letters, attachments): never under the web root."""


def private_storage():
    """The ``private`` storage, looked up when used, so tests and settings can point it elsewhere."""
    from django.core.files.storage import storages

    return storages["private"]

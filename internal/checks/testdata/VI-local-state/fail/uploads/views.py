import os

UPLOAD_FOLDER = "uploads"


def upload(f, name):
    f.save(os.path.join(UPLOAD_FOLDER, name))

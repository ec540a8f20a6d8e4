import os

import boto3

BUCKET = os.environ["UPLOAD_BUCKET"]
UPLOAD_FOLDER = os.environ.get("UPLOAD_FOLDER")


def upload(f, name):
    boto3.client("s3").upload_fileobj(f, BUCKET, name)

import boto3

S3 = boto3.client("s3", aws_access_key_id="AKIAZ7Q3KRMB5XN2WDLE")

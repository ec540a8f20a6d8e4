package auth

const signingKey = "s3cr3t-value"

var dbPassword = "p4ssw0rd"

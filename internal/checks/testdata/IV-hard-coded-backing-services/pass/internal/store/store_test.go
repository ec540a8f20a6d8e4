package store

const testURL = "postgres://app@localhost:5432/test"

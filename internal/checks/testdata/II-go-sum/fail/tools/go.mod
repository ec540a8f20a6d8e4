module example.com/app/tools

go 1.25.0

module example.com/app

go 1.25.0

require (
	example.com/lib v0.0.0
	example.com/tools v0.0.0
)

replace example.com/lib => ../lib

replace example.com/tools => /home/me/src/tools

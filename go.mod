module github.com/vocmine/vocmine

go 1.26.8

require (
	github.com/go-ego/gse v0.80.3
	go.yaml.in/yaml/v3 v3.0.6
	golang.org/x/text v0.43.0
)

require github.com/vcaesar/cedar v0.20.2 // indirect

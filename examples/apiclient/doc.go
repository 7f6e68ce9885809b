// Package apiclient is a Go client of Haocha's JSON API, generated from
// its OpenAPI document (internal/api/openapi.yaml, served at
// /api/openapi.json) by oapi-codegen v2.8.2: an example for integrators,
// and a check that the document makes a client that works. Its test
// starts the real server and drives it with the client.
//
// To make it again after changing the document:
//
//	go generate ./examples/apiclient
package apiclient

//go:generate go run github.com/oapi-codegen/oapi-codegen/v2/cmd/oapi-codegen@v2.8.2 -config oapi-codegen.yaml ../../internal/api/openapi.yaml

package uwv

import "github.com/poort-nl/poort/mocks"

// Registration describes the mock to the hub: the contract below BasePath.
func Registration() mocks.Registration {
	return mocks.Registration{Registry: "UWV", BasePath: BasePath, New: New}
}

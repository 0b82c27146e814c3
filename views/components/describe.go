package components

import "strings"

func describedBy(f Form, fd Field) string {
	var ids []string
	if fd.Hint != "" {
		ids = append(ids, "f-"+fd.Name+"-hint")
	}
	if f.Error(fd.Name) != "" {
		ids = append(ids, "f-"+fd.Name+"-error")
	}
	return strings.Join(ids, " ")
}

package moderation

import (
	"github.com/haven-forum/haven/internal/forum"
	"github.com/haven-forum/haven/internal/site"
	"gorm.io/gorm"
)

func newService(db *gorm.DB) *Service {
	return NewService(db, forum.New(db, site.NewSettings(db), nil))
}

package accounts

import (
	"context"
	"errors"
	"fmt"

	"github.com/haven-forum/haven/internal/apperr"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// Eraser removes what one domain holds about a member, inside the transaction that deletes
// the account: every domain's part goes, or none does.
type Eraser func(ctx context.Context, tx *gorm.DB, memberID int64) error

// Delete deletes a member's account after checking their password: it runs the other domains'
// erasers and then deletes the member, in one transaction. Their sessions and recovery codes
// go with it, so every device is signed out at once; rows of other domains that name the
// member go through their foreign keys (deleted, or set to NULL where the content stays).
func (s *Service) Delete(ctx context.Context, memberID int64, password string, erasers ...Eraser) error {
	return s.DeleteAfterCheck(ctx, memberID, password, nil, erasers...)
}

// DeleteAfterCheck is Delete, calling checked (when not nil) as soon as the password matched,
// before the erasure: a password attempt counted against a limit is given back then, and stays
// given back if the erasure is cut short.
func (s *Service) DeleteAfterCheck(ctx context.Context, memberID int64, password string, checked func(), erasers ...Eraser) error {
	var row memberRow
	err := s.db.WithContext(ctx).Take(&row, memberID).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return apperr.New(apperr.ENOTFOUND, "That account does not exist any more.")
	}
	if err != nil {
		return fmt.Errorf("accounts: unable to get member: %w", err)
	}
	ok := false
	if password != "" && len(password) <= PasswordMax*4 {
		if ok, err = s.check(ctx, row.PasswordHash, password); err != nil {
			return err
		}
	}
	if !ok {
		return apperr.Invalid(map[string]string{"password": "That is not your password. Nothing was deleted."})
	}
	if checked != nil {
		checked()
	}
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		return Remove(ctx, tx, memberID, erasers...)
	})
	if _, ok := apperr.As(err); ok {
		return err
	}
	if err != nil {
		return fmt.Errorf("accounts: unable to delete member: %w", err)
	}
	return nil
}

// Remove deletes a member's account inside tx without asking for a password: Delete's part
// after the check, and how a restored backup loses an account deleted after it was taken.
func Remove(ctx context.Context, tx *gorm.DB, memberID int64, erasers ...Eraser) error {
	tx = tx.WithContext(ctx)
	// On PostgreSQL, hold the member row: a post or reaction racing the deletion waits for
	// it and then fails its foreign key, instead of slipping in after an eraser has run.
	lock := tx.Model(&memberRow{}).Select("id").Where("id = ?", memberID)
	if tx.Dialector.Name() == "postgres" {
		lock = lock.Clauses(clause.Locking{Strength: "UPDATE"})
	}
	var ids []int64
	if err := lock.Scan(&ids).Error; err != nil {
		return err
	}
	if len(ids) == 0 {
		return apperr.New(apperr.ENOTFOUND, "That account does not exist any more.")
	}
	for _, erase := range erasers {
		if err := erase(ctx, tx, memberID); err != nil {
			return err
		}
	}
	// The foreign keys cascade these too; deleting them here keeps this package's own
	// tables from depending on that.
	if err := tx.Where("member_id = ?", memberID).Delete(&sessionRow{}).Error; err != nil {
		return err
	}
	if err := tx.Where("member_id = ?", memberID).Delete(&recoveryCodeRow{}).Error; err != nil {
		return err
	}
	return tx.Delete(&memberRow{}, memberID).Error
}

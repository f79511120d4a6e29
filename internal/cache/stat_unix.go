//go:build linux || darwin || freebsd || netbsd || openbsd

package cache

import (
	"io/fs"
	"syscall"
)

// sysStamp returns a file's inode and change time.
func sysStamp(info fs.FileInfo) (ino uint64, ctime int64) {
	if st, ok := info.Sys().(*syscall.Stat_t); ok {
		return uint64(st.Ino), ctimeOf(st)
	}
	return 0, 0
}

using System.Text;
using QemuUserStatic.Architectures;
using QemuUserStatic.Binfmt;

namespace QemuUserStatic.Images;

/// <summary>
/// PLACEHOLDER: the one place the <c>/register</c> script comes from until qus-register's
/// <c>QemuUserStatic.Binfmt.RegisterScript.Render(...)</c> lands; then <see cref="Script"/> returns that and this
/// minimal POSIX sh goes. It registers each <c>$QEMU_BIN_DIR/qemu-*-static</c> present (F flag) from the
/// architecture table, after removing qemu-* entries with <c>--reset</c>.
/// </summary>
public static class TemporaryEntrypoint
{
    /// <summary>The entrypoint every image build uses.</summary>
    public static EntrypointScript Script { get; } = EntrypointScript.FromText(Render());

    private static string Render()
    {
        var text = new StringBuilder("""
            #!/bin/sh
            # Placeholder /register until qus-register's script replaces it.
            set -e
            bin="${QEMU_BIN_DIR:-/usr/bin}"
            fs=/proc/sys/fs/binfmt_misc
            [ -e "$fs/register" ] || mount -t binfmt_misc binfmt_misc "$fs"
            if [ "$1" = --reset ]; then for e in "$fs"/qemu-*; do if [ -e "$e" ]; then echo -1 > "$e"; fi; done; fi
            reg() { if [ -x "$bin/$2" ] && [ ! -e "$fs/$1" ]; then printf '%s%s/%s:F' "$3" "$bin" "$2" > "$fs/register"; fi; }

            """);
        foreach (var target in ArchitectureTable.All)
        {
            text.Append(FormattableString.Invariant(
                $"reg {target.EntryName} {target.EmulatorFileName()} ':{target.EntryName}:M::{BinfmtEntry.Escape(target.Magic)}:{BinfmtEntry.Escape(target.Mask)}:'\n"));
        }

        return text.ToString();
    }
}

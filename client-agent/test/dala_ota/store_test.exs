defmodule DalaOta.StoreTest do
  use ExUnit.Case, async: true

  alias DalaOta.Store
  alias DalaOta.Store.Disk

  @moduletag :tmp_dir

  test "writes are atomic renames that leave no temporary file", %{tmp_dir: dir} do
    {:ok, s} = Disk.open(Path.join(dir, "data"))
    :ok = Disk.write(s, "a/b.etf", ["one", "two"])
    assert Disk.read(s, "a/b.etf") == {:ok, "onetwo"}
    :ok = Disk.write(s, "a/b.etf", "three")
    assert File.ls!(Path.join([dir, "data", "a"])) == ["b.etf"]
    assert Disk.read(s, "a/b.etf") == {:ok, "three"}
  end

  test "reads, lists, deletes", %{tmp_dir: dir} do
    {:ok, s} = Disk.open(dir)
    assert Disk.read(s, "missing") == {:error, :not_found}
    :ok = Disk.write(s, "events/2.etf", "x")
    :ok = Disk.write(s, "events/1.etf", "y")
    # A crashed write's leftover is never listed.
    File.write!(Path.join([dir, "events", "3.etf.tmp-9"]), "partial")
    assert Disk.list(s, "events/") == {:ok, ["events/1.etf", "events/2.etf"]}
    assert Disk.list(s, "nothing/") == {:ok, []}
    :ok = Disk.delete(s, "events/1.etf")
    :ok = Disk.delete(s, "events/1.etf")
    :ok = Disk.delete_prefix(s, "events/")
    assert Disk.list(s, "events/") == {:ok, []}
  end

  test "keys never leave the data directory", %{tmp_dir: dir} do
    {:ok, s} = Disk.open(dir)
    assert_raise ArgumentError, fn -> Disk.write(s, "../escape", "x") end
    assert_raise ArgumentError, fn -> Disk.read(s, "/etc/passwd") end
  end

  test "terms round-trip, and unreadable bytes are reported as corrupt", %{tmp_dir: dir} do
    {:ok, s} = Disk.open(dir)
    :ok = Store.write_term(Disk, s, "t.etf", %{format: 1, sequence: 3})
    assert Store.read_term(Disk, s, "t.etf") == {:ok, %{format: 1, sequence: 3}}
    :ok = Disk.write(s, "bad.etf", "not a term")
    assert Store.read_term(Disk, s, "bad.etf") == {:error, {:corrupt, "bad.etf"}}
  end

  test "a data directory that cannot be created is an error", %{tmp_dir: dir} do
    File.write!(Path.join(dir, "file"), "")
    assert {:error, {:data_dir, _}} = Disk.open(Path.join([dir, "file", "sub"]))
  end
end

defmodule DalaOta.EventsTest do
  use ExUnit.Case, async: true

  alias DalaOta.Events

  @moduletag :tmp_dir

  defp st(dir) do
    {:ok, s} = DalaOta.Store.Disk.open(dir)
    {DalaOta.Store.Disk, s}
  end

  defp event(seq, kind \\ :applied),
    do: %{kind: kind, sequence: seq, reason: nil, bytes: nil, at: 0}

  test "events queue in order and survive a restart", %{tmp_dir: dir} do
    for n <- 1..3, do: :ok = Events.enqueue(st(dir), event(n), 10)
    assert Enum.map(Events.pending(st(dir)), &elem(&1, 1).sequence) == [1, 2, 3]
  end

  test "beyond the cap the oldest are dropped", %{tmp_dir: dir} do
    for n <- 1..5, do: :ok = Events.enqueue(st(dir), event(n), 3)
    assert Enum.map(Events.pending(st(dir)), &elem(&1, 1).sequence) == [3, 4, 5]
  end

  test "a flush stops at the first event the server cannot take now", %{tmp_dir: dir} do
    for n <- 1..4, do: Events.enqueue(st(dir), event(n), 10)

    result =
      Events.flush(st(dir), fn
        %{sequence: 2} -> :drop
        %{sequence: 3} -> {:retry, :offline}
        _ -> :sent
      end)

    assert result == {:partial, 1, :offline}
    assert Enum.map(Events.pending(st(dir)), &elem(&1, 1).sequence) == [3, 4]
    assert Events.flush(st(dir), fn _ -> :sent end) == {:ok, 2}
    assert Events.count(st(dir)) == 0
  end

  test "the body the server's event endpoint reads" do
    body =
      Events.body(
        %{kind: :failed, sequence: 7, reason: "why", bytes: nil, at: 1},
        "ck_x",
        "install-1"
      )

    assert :erlang.binary_to_term(body) == %{
             channel_key: "ck_x",
             install_id: "install-1",
             sequence: 7,
             kind: :failed,
             reason: "why"
           }
  end
end

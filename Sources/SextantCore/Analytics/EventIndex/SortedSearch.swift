extension RandomAccessCollection where Index == Int {
    /// In a collection ordered so that every element `isBelow` comes first, the index of the first
    /// element that is not (binary search; `endIndex` when there is none).
    func partitionIndex(below isBelow: (Element) -> Bool) -> Int {
        var low = startIndex, high = endIndex
        while low < high {
            let middle = (low + high) / 2
            if isBelow(self[middle]) { low = middle + 1 } else { high = middle }
        }
        return low
    }
}

function createPageHTML(_nPageCount, _nCurrIndex, _sPageName, _sPageExt) {
  if (_nPageCount == null || _nPageCount <= 1) { return; }
  var nCurrIndex = _nCurrIndex || 0;
  var html = "";
  if (nCurrIndex == 0) {
    html += "<span>首页</span> <span>上一页</span> ";
  } else {
    html += "<a href=\"" + _sPageName + "." + _sPageExt + "\">首页</a> ";
    html += "<a href=\"" + (nCurrIndex == 1 ? _sPageName : _sPageName + "_" + (nCurrIndex - 1)) + "." + _sPageExt + "\">上一页</a> ";
  }
  if (nCurrIndex + 1 < _nPageCount) {
    html += "<a href=\"" + _sPageName + "_" + (nCurrIndex + 1) + "." + _sPageExt + "\">下一页</a> ";
    html += "<a href=\"" + _sPageName + "_" + (_nPageCount - 1) + "." + _sPageExt + "\">尾页</a>";
  } else {
    html += "<span>下一页</span> <span>尾页</span>";
  }
  document.write(html);
}
